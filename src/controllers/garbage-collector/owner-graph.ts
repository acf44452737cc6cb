// The garbage collector's picture of ownership: every object seen by uid, with its owner
// references, and for every uid the objects that name it as owner (whether or not that owner has
// been seen). Updating it answers which objects need a look: dependents whose owner went away,
// owners waiting in foreground deletion, owners to orphan from.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { GroupVersionResource, KubeObject } from '../../client/index.js';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

export interface GraphNode {
  readonly uid: string;
  /** The resource the object was seen through, to read and delete it. */
  readonly gvr: GroupVersionResource;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly owners: readonly OwnerReference[];
  readonly beingDeleted: boolean;
  /** Deleted in the foreground: waits for the dependents that block it. */
  readonly deletingDependents: boolean;
  /** Deleted with the orphan policy: its dependents are to lose their references to it. */
  readonly orphaning: boolean;
}

/** What a change of the graph asks the collector to look at. */
export interface GraphWork {
  /** uids whose owner references (or waiting dependents) need checking. */
  readonly attemptToDelete: string[];
  /** uids of owners whose dependents are to be orphaned. */
  readonly attemptToOrphan: string[];
}

/** The node of an object seen through a resource; list items carry no kind, so the resource's is used. */
export function nodeOf(obj: KubeObject, gvr: GroupVersionResource, kind: string): GraphNode {
  const m = obj.metadata;
  const finalizers = m.finalizers ?? [];
  const beingDeleted = !!m.deletionTimestamp;
  return {
    uid: m.uid ?? '',
    gvr,
    apiVersion: obj.apiVersion ?? (gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version),
    kind,
    namespace: m.namespace ?? '',
    name: m.name,
    owners: m.ownerReferences ?? [],
    beingDeleted,
    deletingDependents: beingDeleted && finalizers.includes(foregroundFinalizer),
    orphaning: beingDeleted && finalizers.includes(orphanFinalizer),
  };
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  /** owner uid → uids of the objects naming it as owner. */
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  dependents(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependentsByOwner.get(uid) ?? []) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }

  /** Dependents whose reference to the owner has blockOwnerDeletion: the ones a foreground deletion waits for. */
  blockingDependents(uid: string): GraphNode[] {
    return this.dependents(uid).filter((d) => d.owners.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
  }

  /**
   * Whether the informers show every owner of the node alive where its references say: then there
   * is nothing to check now, and an owner's deletion will bring the node back to the queue.
   */
  ownersSeenAlive(node: GraphNode): boolean {
    return node.owners.every((r) => {
      const o = this.nodes.get(r.uid);
      return !!o && o.name === r.name && o.kind === r.kind && !o.beingDeleted && (!o.namespace || o.namespace === node.namespace);
    });
  }

  /** Records an added or updated object. */
  upsert(node: GraphNode): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const old = this.nodes.get(node.uid);
    this.nodes.set(node.uid, node);
    const before = new Map((old?.owners ?? []).map((r) => [r.uid, r]));
    const after = new Map(node.owners.map((r) => [r.uid, r]));
    for (const [uid, ref] of before) {
      if (!after.has(uid)) this.unlink(uid, node.uid);
      // A dependent that stops blocking may be the last one a foreground deletion waits for.
      if (ref.blockOwnerDeletion === true && after.get(uid)?.blockOwnerDeletion !== true && this.nodes.get(uid)?.deletingDependents) {
        work.attemptToDelete.push(uid);
      }
    }
    let verify = false;
    for (const uid of after.keys()) {
      if (before.has(uid)) continue;
      this.link(uid, node.uid);
      const owner = this.nodes.get(uid);
      // An owner never seen may not exist; one deleting its dependents will want this one gone; a
      // namespaced owner in another namespace is no owner at all.
      if (!owner || owner.deletingDependents || (owner.namespace && owner.namespace !== node.namespace)) verify = true;
    }
    if (verify) work.attemptToDelete.push(node.uid);

    if (node.orphaning && !old?.orphaning) work.attemptToOrphan.push(node.uid);
    else if (node.deletingDependents && !old?.deletingDependents) {
      for (const d of this.dependentsByOwner.get(node.uid) ?? []) work.attemptToDelete.push(d);
      work.attemptToDelete.push(node.uid);
    }
    return work;
  }

  /** Records a deleted object: its dependents may be garbage now, and owners waiting for it may finish. */
  remove(uid: string): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const node = this.nodes.get(uid);
    if (!node) return work;
    this.nodes.delete(uid);
    for (const r of node.owners) {
      this.unlink(r.uid, uid);
      if (this.nodes.get(r.uid)?.deletingDependents) work.attemptToDelete.push(r.uid);
    }
    for (const d of this.dependentsByOwner.get(uid) ?? []) work.attemptToDelete.push(d);
    return work;
  }

  private link(owner: string, dependent: string): void {
    let set = this.dependentsByOwner.get(owner);
    if (!set) this.dependentsByOwner.set(owner, (set = new Set()));
    set.add(dependent);
  }

  private unlink(owner: string, dependent: string): void {
    const set = this.dependentsByOwner.get(owner);
    if (!set) return;
    set.delete(dependent);
    if (!set.size) this.dependentsByOwner.delete(owner);
  }
}
