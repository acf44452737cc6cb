// Controller references, as kube's ControllerRefManager handles them: an owner claims the objects
// its selector matches, adopts matching orphans (after re-reading itself from the server so a
// deleted and re-created owner never adopts) and releases owned objects that stopped matching.
// Orphans are those left behind by `kubectl delete --cascade=orphan`, say: they are taken over
// instead of duplicated; never while the owner is being deleted, never one being deleted.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { FieldPath, labelSelectorFromObject, type LabelSelector } from '../../api/index.js';
import { isNotFound } from './api-error-text.js';
import { resourcePath, type ApiClient, type GroupVersionResource, type Informer, type KubeObject } from '../../client/index.js';

/** Index of objects without a controller, by namespace: the orphans an owner might adopt. */
export const orphanIndex = 'orphans-by-namespace';

/** The owner reference with controller=true, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The reference an owner puts on what it creates or adopts (controller and blockOwnerDeletion set). */
export function controllerReference(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The work-queue key of the object of `kind` that controls obj, if one does. */
export function ownerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerOf(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
}

const selectorCache = new WeakMap<object, LabelSelector>();

/** A metav1.LabelSelector as a matcher; a missing selector matches nothing. */
export function selectorOf(selector: object | undefined): LabelSelector {
  if (!selector) return labelSelectorFromObject(undefined, FieldPath.root('selector')).selector;
  let s = selectorCache.get(selector);
  if (!s) selectorCache.set(selector, (s = labelSelectorFromObject(selector, FieldPath.root('selector')).selector));
  return s;
}

/** Owners (of the object's namespace) whose selector matches an orphan: they may adopt it. */
export function ownersSelecting<T extends KubeObject & { spec?: { selector?: object } }>(owners: readonly T[], obj: KubeObject): T[] {
  if (controllerOf(obj) || obj.metadata.deletionTimestamp) return [];
  const labels = obj.metadata.labels ?? {};
  return owners.filter((o) => o.spec?.selector && !selectorOf(o.spec.selector).isEverything() && selectorOf(o.spec.selector).matches(labels));
}

export function indexOrphans<T extends KubeObject>(informer: Informer<T>): void {
  informer.addIndexer(orphanIndex, (o) => (controllerOf(o) ? [] : [o.metadata.namespace ?? '']));
}

/** The objects an owner may claim: those it controls plus the orphans of its namespace. */
export function claimCandidates<T extends KubeObject>(informer: Informer<T>, owner: KubeObject): T[] {
  const owned = informer.store.byIndex('owner', owner.metadata.uid ?? '');
  const orphans = informer.store.byIndex(orphanIndex, owner.metadata.namespace ?? '');
  return orphans.length ? [...owned, ...orphans] : owned;
}

export interface ClaimOptions<T extends KubeObject> {
  readonly client: ApiClient;
  readonly owner: KubeObject;
  readonly ownerApiVersion: string;
  readonly ownerKind: string;
  /** Where the claimed objects live, for the adopt and release patches. */
  readonly gvr: GroupVersionResource;
  readonly selector: LabelSelector;
  /** A further test an object must pass to be claimed (a StatefulSet's pods by their names). */
  readonly member?: (obj: T) => boolean;
  readonly candidates: readonly T[];
  /** Reads the owner from the server (not the cache) before the first adoption. */
  readonly recheckOwner: () => Promise<KubeObject>;
}

/** The candidates the owner controls after adopting and releasing; throws after trying all if any patch failed. */
export async function claimObjects<T extends KubeObject>(o: ClaimOptions<T>): Promise<T[]> {
  const ownerUid = o.owner.metadata.uid ?? '';
  const ownerDeleting = !!o.owner.metadata.deletionTimestamp;
  // An empty selector would take every orphan of the namespace.
  const selectsEverything = o.selector.isEverything();
  const claimed: T[] = [];
  const errors: unknown[] = [];
  const toAdopt: T[] = [];
  const toRelease: T[] = [];
  for (const obj of o.candidates) {
    const ref = controllerOf(obj);
    const matches = o.selector.matches(obj.metadata.labels) && (o.member?.(obj) ?? true);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) claimed.push(obj);
      else if (!ownerDeleting) toRelease.push(obj);
    } else if (!ownerDeleting && matches && !selectsEverything && !obj.metadata.deletionTimestamp && obj.metadata.namespace === o.owner.metadata.namespace) {
      toAdopt.push(obj);
    }
  }
  const path = (obj: KubeObject) => resourcePath(o.gvr, obj.metadata.namespace, obj.metadata.name);
  await Promise.all(
    toRelease.map(async (obj) => {
      const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata.uid } };
      await o.client.patch(path(obj), patch, 'strategic').catch((err: unknown) => {
        if (!isNotFound(err)) errors.push(err);
      });
    }),
  );
  if (toAdopt.length) {
    const fresh = await o.recheckOwner();
    if (fresh.metadata.uid !== ownerUid)
      throw new Error(`original ${o.owner.metadata.namespace}/${o.owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${ownerUid}`);
    if (fresh.metadata.deletionTimestamp)
      throw new Error(`${o.owner.metadata.namespace}/${o.owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    const ref = controllerReference(o.owner, o.ownerApiVersion, o.ownerKind);
    await Promise.all(
      toAdopt.map(async (obj) => {
        const patch = { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } };
        try {
          claimed.push(await o.client.patch<T>(path(obj), patch, 'strategic'));
        } catch (err) {
          if (!isNotFound(err)) errors.push(err);
        }
      }),
    );
  }
  if (errors.length) throw errors[0];
  return claimed;
}
