// Keys of the Services a pod change concerns, for the endpoint controllers' event handlers: the
// services in the pod's namespace whose selector matches its labels before or after the change.
import type { Service } from 'kubernetes-types/core/v1.js';
import { objectKey, type Informer, type ObjectStore, type WorkQueue } from '../../client/index.js';
import type { Cached, PodObject } from '../shared/index.js';
import { selectorMatches } from './service-endpoints.js';

export function servicesForPods(services: ObjectStore<Cached<Service>>, ...pods: PodObject[]): Set<string> {
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
function podEndpointsChanged(old: PodObject, pod: PodObject): boolean {
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

/** Queues a service's key when it changes, and the keys of the services a pod change concerns. */
export function queueServiceChanges(services: Informer<Cached<Service>>, pods: Informer<PodObject>, queue: WorkQueue<string>): void {
  const enqueue = (keys: Iterable<string>) => {
    for (const k of keys) queue.add(k);
  };
  services.addHandler({
    onAdd: (s) => queue.add(objectKey(s)),
    onUpdate: (_, s) => queue.add(objectKey(s)),
    onDelete: (s) => queue.add(objectKey(s)),
  });
  pods.addHandler({
    onAdd: (p) => enqueue(servicesForPods(services.store, p)),
    onUpdate: (old, p) => {
      if (podEndpointsChanged(old, p)) enqueue(servicesForPods(services.store, old, p));
    },
    onDelete: (p) => enqueue(servicesForPods(services.store, p)),
  });
}
