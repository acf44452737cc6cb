// Adoption of orphans, as kube's ControllerRefManager does it: a pod without a controller that
// the owner's selector matches (left behind by `kubectl delete --cascade=orphan`, say) is taken
// over with a controller reference instead of being duplicated. Never while the owner is being
// deleted, never a pod being deleted.
import { ApiResponseError, resourcePath, type ApiClient, type KubeObject } from '../../client/index.js';
import { controllerOf, controllerReference, gvr, selectorOf, type PodObject } from './workload-objects.js';

interface Owner extends KubeObject {
  spec?: { selector?: object };
}

/** Adopts the matching orphans among the namespace's pods; answers those now owned. */
export async function adoptOrphans(
  client: ApiClient,
  owner: Owner,
  apiVersion: string,
  kind: string,
  namespacePods: readonly PodObject[],
  member: (pod: PodObject) => boolean = () => true,
): Promise<PodObject[]> {
  if (owner.metadata.deletionTimestamp || !owner.spec?.selector) return [];
  const selector = selectorOf(owner.spec.selector);
  if (selector.isEverything()) return [];
  const adopted: PodObject[] = [];
  for (const pod of namespacePods) {
    if (pod.metadata.deletionTimestamp || controllerOf(pod) || !selector.matches(pod.metadata.labels ?? {}) || !member(pod)) continue;
    const refs = [...(pod.metadata.ownerReferences ?? []), controllerReference(owner, apiVersion, kind)];
    try {
      adopted.push(
        await client.patch<PodObject>(
          resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name),
          { metadata: { ownerReferences: refs, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion } },
          'merge',
        ),
      );
    } catch (err) {
      // Changed or gone meanwhile: the next sync looks again.
      if (!(err instanceof ApiResponseError && (err.status === 404 || err.status === 409))) throw err;
    }
  }
  return adopted;
}

/** Owners in the pod's namespace whose selector matches an orphan pod: they may adopt it. */
export function ownersSelecting<T extends Owner>(owners: readonly T[], pod: PodObject): T[] {
  if (controllerOf(pod) || pod.metadata.deletionTimestamp) return [];
  const labels = pod.metadata.labels ?? {};
  return owners.filter((o) => o.spec?.selector && !selectorOf(o.spec.selector).isEverything() && selectorOf(o.spec.selector).matches(labels));
}
