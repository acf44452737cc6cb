// The selector of kube-scheduler's default pod spreading (PodTopologySpread's system defaults): for
// a pod without spread constraints of its own, the pods it spreads against are those selected by the
// Services matching it and by its controlling ReplicationController, ReplicaSet or StatefulSet.
import type { ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { FieldPath, LabelSelector, labelSelectorFromObject, type LabelRequirement } from '../api/index.js';
import type { PodInfo } from './pod-info.js';

/** The objects the default selector is read from, as the scheduler's informers hold them. */
export interface SpreadListers {
  services(namespace: string): readonly Service[];
  replicationController(namespace: string, name: string): ReplicationController | undefined;
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  statefulSet(namespace: string, name: string): StatefulSet | undefined;
}

const selectorPath = FieldPath.root('selector');

function equalityRequirements(set: Readonly<Record<string, string>>): LabelRequirement[] {
  return Object.entries(set).map(([key, value]) => ({ key, operator: '=' as const, values: [value] }));
}

/** kube's helper.DefaultSelector; undefined when it would select everything (no default spreading). */
export function defaultSpreadSelector(pod: PodInfo, listers: SpreadListers): LabelSelector | undefined {
  const set: Record<string, string> = {};
  for (const service of listers.services(pod.namespace)) {
    const selector = service.spec?.selector;
    // A Service without a selector matches nothing, not everything.
    if (!selector) continue;
    if (Object.entries(selector).every(([k, v]) => pod.labels[k] === v)) Object.assign(set, selector);
  }
  const requirements = equalityRequirements(set);
  const owner = pod.pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (owner) {
    const { namespace } = pod;
    let ownerSelector: unknown;
    if (owner.apiVersion === 'v1' && owner.kind === 'ReplicationController') {
      const rc = listers.replicationController(namespace, owner.name);
      if (rc) requirements.splice(0, requirements.length, ...equalityRequirements({ ...set, ...(rc.spec?.selector ?? {}) }));
    } else if (owner.apiVersion === 'apps/v1' && owner.kind === 'ReplicaSet') {
      ownerSelector = listers.replicaSet(namespace, owner.name)?.spec?.selector;
    } else if (owner.apiVersion === 'apps/v1' && owner.kind === 'StatefulSet') {
      ownerSelector = listers.statefulSet(namespace, owner.name)?.spec?.selector;
    }
    if (ownerSelector) {
      const { selector, errors } = labelSelectorFromObject(ownerSelector, selectorPath);
      if (errors.length === 0) requirements.push(...selector.requirements);
    }
  }
  return requirements.length ? LabelSelector.of(requirements) : undefined;
}
