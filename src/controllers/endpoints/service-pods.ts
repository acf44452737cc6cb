// Keys of the Services a pod change concerns, for the endpoint controllers' event handlers: the
// services in the pod's namespace whose selector matches its labels before or after the change.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { objectKey, type KubeObject, type ObjectStore } from '../../client/index.js';
import { selectorMatches } from './service-endpoints.js';

export type ServiceObject = Service & KubeObject;
export type PodObject = Pod & KubeObject;

export function servicesForPods(services: ObjectStore<ServiceObject>, ...pods: PodObject[]): Set<string> {
  const keys = new Set<string>();
  for (const pod of pods) {
    for (const svc of services.listNamespace(pod.metadata.namespace ?? '')) {
      const selector = svc.spec?.selector;
      if (selector && selectorMatches(selector, pod.metadata.labels)) keys.add(objectKey(svc));
    }
  }
  return keys;
}

/** Whether a pod update can change any endpoint: readiness, address, labels, node, hostname, deletion, ports. */
export function podEndpointsChanged(old: PodObject, pod: PodObject): boolean {
  const view = (p: PodObject) =>
    JSON.stringify([
      p.metadata.labels ?? {},
      p.metadata.deletionTimestamp ?? '',
      p.status?.podIP ?? '',
      p.status?.podIPs ?? [],
      p.status?.phase ?? '',
      p.status?.conditions?.find((c) => c.type === 'Ready') ?? null,
      p.spec?.nodeName ?? '',
      p.spec?.hostname ?? '',
      p.spec?.subdomain ?? '',
      p.spec?.containers?.map((c) => c.ports ?? []) ?? [],
    ]);
  return view(old) !== view(pod);
}
