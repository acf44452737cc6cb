// Public entry of the strategies: which Strategy serves each storage group/resource, plus the
// shared validators (ObjectMeta, names, label selectors) other parts of the server reuse.

import { defineStrategy, contentDiffers, type Strategy } from './strategy.js';
import { podStrategy } from './pods.js';
import { podTemplateStrategy, replicationControllerStrategy } from './core-workloads.js';
import { deploymentStrategy, replicaSetStrategy, statefulSetStrategy, daemonSetStrategy, controllerRevisionStrategy } from './apps.js';
import { jobStrategy, cronJobStrategy } from './batch.js';
import { serviceStrategy } from './services.js';
import { endpointsStrategy, endpointSliceStrategy } from './endpoints.js';
import { configMapStrategy, secretStrategy, serviceAccountStrategy } from './config.js';
import { namespaceStrategy } from './namespaces.js';
import { nodeStrategy } from './nodes.js';
import { eventStrategy } from './events.js';
import { limitRangeStrategy, resourceQuotaStrategy } from './quotas.js';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy, storageClassStrategy } from './storage.js';
import { ingressStrategy, ingressClassStrategy, networkPolicyStrategy } from './networking.js';
import { roleStrategy, clusterRoleStrategy, roleBindingStrategy, clusterRoleBindingStrategy } from './rbac.js';
import { leaseStrategy, priorityClassStrategy, podDisruptionBudgetStrategy } from './cluster-policy.js';
import { horizontalPodAutoscalerStrategy } from './autoscaling.js';
import { certificateSigningRequestStrategy } from './certificates.js';
import { customResourceDefinitionStrategy } from '../custom-resources/crd-strategy.js';
import { nameIsDNSSubdomain, type NameValidator } from './name-validation.js';
import { type Obj } from './object-access.js';
import { jsonEqual } from '../../lang/index.js';

export type { Strategy, StrategyRules } from './strategy.js';
export { defineStrategy, specDiffers, contentDiffers } from './strategy.js';
export {
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateNamespaceScope,
  validateLabels,
  validateAnnotations,
  validateLabelSelector,
  selectorMatches,
} from './object-meta.js';
export * as names from './name-validation.js';
export { prepareNamespaceFinalize, validateNamespaceFinalize, NAME_LABEL as NAMESPACE_NAME_LABEL } from './namespaces.js';
export { prepareCsrApproval } from './certificates.js';
export { JOB_LABELS } from './batch.js';
export { podQosClass } from './pod-qos.js';
export { defaultPodSpec, defaultPodTemplate } from './pod-spec-defaults.js';
export { validatePodSpec, validatePodTemplateSpec } from './pod-spec-validation.js';

/** Keyed by `<storage group>/<resource>`; the core group is the empty string. */
const strategies: Readonly<Record<string, Strategy>> = {
  '/pods': podStrategy,
  '/podtemplates': podTemplateStrategy,
  '/replicationcontrollers': replicationControllerStrategy,
  '/services': serviceStrategy,
  '/endpoints': endpointsStrategy,
  '/configmaps': configMapStrategy,
  '/secrets': secretStrategy,
  '/serviceaccounts': serviceAccountStrategy,
  '/namespaces': namespaceStrategy,
  '/nodes': nodeStrategy,
  '/events': eventStrategy,
  '/limitranges': limitRangeStrategy,
  '/resourcequotas': resourceQuotaStrategy,
  '/persistentvolumes': persistentVolumeStrategy,
  '/persistentvolumeclaims': persistentVolumeClaimStrategy,
  'apps/deployments': deploymentStrategy,
  'apps/replicasets': replicaSetStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'apps/daemonsets': daemonSetStrategy,
  'apps/controllerrevisions': controllerRevisionStrategy,
  'batch/jobs': jobStrategy,
  'batch/cronjobs': cronJobStrategy,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerStrategy,
  'policy/poddisruptionbudgets': podDisruptionBudgetStrategy,
  'discovery.k8s.io/endpointslices': endpointSliceStrategy,
  // events.k8s.io Events are stored as core Events.
  'events.k8s.io/events': eventStrategy,
  'networking.k8s.io/ingresses': ingressStrategy,
  'networking.k8s.io/ingressclasses': ingressClassStrategy,
  'networking.k8s.io/networkpolicies': networkPolicyStrategy,
  'rbac.authorization.k8s.io/roles': roleStrategy,
  'rbac.authorization.k8s.io/clusterroles': clusterRoleStrategy,
  'rbac.authorization.k8s.io/rolebindings': roleBindingStrategy,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingStrategy,
  'coordination.k8s.io/leases': leaseStrategy,
  'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
  'storage.k8s.io/storageclasses': storageClassStrategy,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestStrategy,
  'apiextensions.k8s.io/customresourcedefinitions': customResourceDefinitionStrategy,
};

export interface GenericStrategyOptions {
  /** Status is reset on create and kept on main-resource updates. */
  readonly statusSubresource?: boolean;
  /**
   * Keep metadata.generation as custom resources do: 1 on create, bumped by any change outside
   * metadata (and outside status when there is a status subresource).
   */
  readonly tracksGeneration?: boolean;
  readonly nameFn?: NameValidator;
}

/** The strategy of resources without rules of their own: ObjectMeta validation only. */
export function genericStrategy(opts: GenericStrategyOptions = {}): Strategy {
  const status = opts.statusSubresource === true;
  const changed = status ? contentDiffers : (a: Readonly<Obj>, b: Readonly<Obj>) => contentDiffers(a, b) || !jsonEqual(a['status'], b['status']);
  return defineStrategy({
    nameFn: opts.nameFn ?? nameIsDNSSubdomain,
    statusSubresource: status,
    ...(opts.tracksGeneration ? { specChanged: changed } : {}),
  });
}

const generic = genericStrategy();

export function strategyFor(group: string, resource: string): Strategy {
  return strategies[`${group}/${resource}`] ?? generic;
}
