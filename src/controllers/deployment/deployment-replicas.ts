// Replica arithmetic of Deployments, as pkg/controller/deployment/util computes it: maxSurge and
// maxUnavailable resolved against the desired count (surge rounded up, unavailable down, never
// both zero), how far a new ReplicaSet may grow, and proportional scaling across ReplicaSets.
import { desiredReplicasAnnotation, maxReplicasAnnotation } from './deployment-revisions.js';
import { scaledValue, type DeploymentObject, type ReplicaSetObject } from '../shared/index.js';

/** maxSurge and maxUnavailable in pods; if both come to 0, one pod may be unavailable. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = maxSurge === undefined ? 0 : scaledValue(maxSurge, desired, true);
  let unavailable = maxUnavailable === undefined ? 0 : scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function desiredReplicas(d: DeploymentObject): number {
  return d.spec?.replicas ?? 1;
}

export function isRollingUpdate(d: DeploymentObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function maxSurge(d: DeploymentObject): number {
  if (!isRollingUpdate(d)) return 0;
  const r = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(r?.maxSurge, r?.maxUnavailable, desiredReplicas(d))[0];
}

export function maxUnavailable(d: DeploymentObject): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const r = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(r?.maxSurge, r?.maxUnavailable, desired)[1], desired);
}

export const specReplicas = (rs: ReplicaSetObject | undefined): number => rs?.spec?.replicas ?? 0;

/** Sum of spec.replicas. */
export function replicaCount(rss: readonly (ReplicaSetObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + specReplicas(rs), 0);
}

/** Sum of status.replicas. */
export function actualReplicaCount(rss: readonly (ReplicaSetObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function readyReplicaCount(rss: readonly (ReplicaSetObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(rss: readonly (ReplicaSetObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

export function terminatingReplicaCount(rss: readonly (ReplicaSetObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.terminatingReplicas ?? 0), 0);
}

export function activeReplicaSets(rss: readonly (ReplicaSetObject | undefined)[]): ReplicaSetObject[] {
  return rss.filter((rs): rs is ReplicaSetObject => !!rs && specReplicas(rs) > 0);
}

/** What the new ReplicaSet should be scaled to now. */
export function newReplicaSetReplicas(d: DeploymentObject, all: readonly ReplicaSetObject[], newRS: ReplicaSetObject): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = replicaCount(all);
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

function annotationNumber(rs: ReplicaSetObject, key: string): number | undefined {
  const text = rs.metadata.annotations?.[key];
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

export const desiredReplicasOf = (rs: ReplicaSetObject): number | undefined => annotationNumber(rs, desiredReplicasAnnotation);

/** The new ReplicaSet has every replica the Deployment wants, all available. */
export function isSaturated(d: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicas(d);
  return specReplicas(rs) === desired && desiredReplicasOf(rs) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

function creationTime(rs: ReplicaSetObject): number {
  return rs.metadata.creationTimestamp ? Date.parse(rs.metadata.creationTimestamp) : 0;
}

/** Oldest first; ties by name, as ReplicaSetsByCreationTimestamp. */
export function byCreation(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return creationTime(a) - creationTime(b) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
}

/** The single active ReplicaSet, or the newest one when none is active; undefined when several are. */
export function activeOrLatest(newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  if (!newRS && !oldRSs.length) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/**
 * The new sizes of the ReplicaSets when a Deployment is resized mid-rollout: the change spread in
 * proportion to their sizes (against the max-replicas each was last scaled for), largest first
 * (newest first on ties) when growing, smallest first when shrinking, leftovers to the first.
 */
export function proportionalSizes(d: DeploymentObject, active: readonly ReplicaSetObject[]): Map<string, number> {
  const desired = desiredReplicas(d);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  const ordered = [...active].sort((a, b) => {
    const bySize = toAdd > 0 ? specReplicas(b) - specReplicas(a) : specReplicas(a) - specReplicas(b);
    if (bySize) return bySize;
    return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
  });
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of ordered) {
    let share = 0;
    if (toAdd !== 0 && specReplicas(rs) > 0 && toAdd !== added) {
      const fraction = replicaSetFraction(rs, d);
      const remaining = toAdd - added;
      share = toAdd > 0 ? Math.min(fraction, remaining) : Math.max(fraction, remaining);
    }
    sizes.set(rs.metadata.name, specReplicas(rs) + share);
    added += share;
  }
  const first = ordered[0];
  if (first && added !== toAdd) sizes.set(first.metadata.name, Math.max(0, (sizes.get(first.metadata.name) ?? 0) + toAdd - added));
  return sizes;
}

/** How many replicas this ReplicaSet should gain (or lose) for the Deployment's new size. */
function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  const desired = desiredReplicas(d);
  if (desired === 0) return -specReplicas(rs);
  const deploymentReplicas = desired + maxSurge(d);
  const annotated = annotationNumber(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return goRound((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/** Rounds half away from zero, as Go's math.Round. */
function goRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
