// The QoS class of a pod (Guaranteed, Burstable, BestEffort), computed from cpu and memory
// requests and limits as kube's qos.GetPodQOS does; stored in status.qosClass on create.

import { type Obj, objAt, objItems } from './object-access.js';
import { quantityValue } from '../resource-quantity.js';

const qosResources = ['cpu', 'memory'] as const;

type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

function nonZero(list: Obj | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of qosResources) {
    const v = quantityValue(list?.[r]);
    if (v !== undefined && v !== 0) out.set(r, v);
  }
  return out;
}

export function podQosClass(spec: Readonly<Obj> | undefined): QosClass {
  const podResources = objAt(spec, 'resources');
  const resourceSets: Array<Obj | undefined> =
    podResources && (objAt(podResources, 'limits') || objAt(podResources, 'requests'))
      ? [podResources]
      : [...objItems(spec, 'containers'), ...objItems(spec, 'initContainers')].map(([c]) => objAt(c, 'resources'));
  let anySet = false;
  let guaranteed = true;
  for (const resources of resourceSets) {
    const requests = nonZero(objAt(resources, 'requests'));
    const limits = nonZero(objAt(resources, 'limits'));
    if (requests.size > 0 || limits.size > 0) anySet = true;
    if (limits.size !== qosResources.length) guaranteed = false;
    for (const [r, req] of requests) if (limits.get(r) !== req) guaranteed = false;
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
