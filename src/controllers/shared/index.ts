// What the controllers share: their context, the cached object types, pod predicates, controller
// references and adoption, expectations, ControllerRevisions, API discovery and error helpers.
export type { ControllerConfig, ControllerContext } from './controller-context.js';
export type { Cached, ReadonlyCached } from '../../client/index.js';
export {
  type ClaimObject,
  type CronJobObject,
  type DaemonSetObject,
  type DeploymentObject,
  type JobObject,
  type NodeObject,
  type PodObject,
  type ReplicaCondition,
  type ReplicaSetObject,
  type ReplicaStatus,
  type ReplicatedObject,
  type RevisionObject,
  type StatefulSetObject,
} from './workload-objects.js';
export { isPodActive, isPodAvailable, isPodReady, isPodTerminal, isPodTerminating, podAvailability, podReadySince } from './pod-state.js';
export {
  claimCandidates,
  claimObjects,
  controllerOf,
  controllerReference,
  indexOrphans,
  orphanIndex,
  ownerKey,
  ownersSelecting,
  selectorOf,
  type ClaimOptions,
} from './controller-ref.js';
export { ControllerExpectations } from './controller-expectations.js';
export { ensureRevision, revisionHashLabel, revisionTemplate, trimHistory } from './controller-revisions.js';
export { discoverResources, servesAnotherResource, type DiscoveredResource, type DiscoveryResult } from './api-discovery.js';
export { apiErrorText, isConflict, isNamespaceTerminating, isNotFound } from './api-error-text.js';
export { sameJson } from './same-json.js';
export { scaledValue } from './scaled-value.js';
