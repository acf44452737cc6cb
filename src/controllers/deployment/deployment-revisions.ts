// Revision bookkeeping of Deployments in annotations, as kube writes them and `kubectl rollout
// history|undo` reads them: each ReplicaSet's revision and the earlier revisions it served
// (revision-history), the desired and max replicas it was last scaled for, and the Deployment's
// own annotations copied onto its new ReplicaSet (change-cause among them).
import type { DeploymentObject, ReplicaSetObject } from '../shared/index.js';

const revisionAnnotation = 'deployment.kubernetes.io/revision';
const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** kube-controller-manager keeps revision-history under this many characters. */
const revisionHistoryLimitChars = 2000;

/** Deployment annotations that are the controller's or kubectl's own and never copied. */
const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** The ReplicaSet's revision; 0 when it has none (or an unreadable one). */
export function revisionOf(rs: ReplicaSetObject): number {
  const text = rs.metadata.annotations?.[revisionAnnotation];
  return text && /^\d+$/.test(text) ? Number(text) : 0;
}

export function maxRevision(rss: readonly ReplicaSetObject[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Copies the Deployment's own annotations onto the ReplicaSet; answers whether any changed. */
function copyDeploymentAnnotations(d: DeploymentObject, rs: ReplicaSetObject): boolean {
  let changed = false;
  const target = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (notCopied.has(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired- and max-replicas; answers whether either changed. */
export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[desiredReplicasAnnotation] !== String(desired)) {
    a[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (a[maxReplicasAnnotation] !== String(max)) {
    a[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

/**
 * Brings the new ReplicaSet's annotations up to date (mutating `rs`): copied Deployment
 * annotations, the new revision with the one it replaces appended to revision-history, and for
 * a ReplicaSet about to be created the replica annotations. Answers whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: DeploymentObject, rs: ReplicaSetObject, newRevision: number, exists: boolean, maxSurgeCount: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldText = a[revisionAnnotation];
  if (oldText !== undefined && !/^\d+$/.test(oldText)) return false;
  const oldRevision = oldText === undefined ? 0 : Number(oldText);
  if (oldRevision < newRevision) {
    a[revisionAnnotation] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = a[revisionHistoryAnnotation];
      if (!history) a[revisionHistoryAnnotation] = oldText;
      else {
        // Drop the oldest entries until the list fits.
        const entries = history.split(',');
        let length = history.length + oldText.length + 1;
        let start = 0;
        while (length > revisionHistoryLimitChars && start < entries.length) length -= entries[start++]!.length + 1;
        if (length <= revisionHistoryLimitChars) a[revisionHistoryAnnotation] = [...entries.slice(start), oldText].join(',');
      }
    }
  }
  const desired = d.spec?.replicas ?? 1;
  if (!exists && setReplicasAnnotations(rs, desired, desired + maxSurgeCount)) changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation (mutating `d`); answers whether it changed. */
export function setDeploymentRevision(d: DeploymentObject, revision: number): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[revisionAnnotation] === String(revision)) return false;
  a[revisionAnnotation] = String(revision);
  return true;
}
