// Deployment status and conditions as the deployment controller computes them: replica counts
// summed over its ReplicaSets, Available (MinimumReplicasAvailable / MinimumReplicasUnavailable)
// and Progressing with its reasons, and the tests for complete, progressing and timed out.
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  desiredReplicas,
  maxUnavailable,
  readyReplicaCount,
  replicaCount,
  terminatingReplicaCount,
} from './deployment-replicas.js';
import { kubeTime } from '../../api/index.js';
import type { DeploymentObject, ReplicaSetObject } from '../shared/index.js';

export type Status = DeploymentStatus & { terminatingReplicas?: number };

export const progressingReasons = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  failedCreate: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

export function newCondition(type: string, status: string, reason: string, message: string, now = Date.now()): DeploymentCondition {
  const at = kubeTime(now);
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export function getCondition(status: Status | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Puts the condition in status (mutating it). The same status and reason leaves the existing one
 * untouched; the same status keeps its lastTransitionTime.
 */
export function setCondition(status: Status, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: Status, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (!status.conditions.length) delete status.conditions;
}

export function hasProgressDeadline(d: DeploymentObject): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}

/** The status a Deployment with these ReplicaSets has, conditions carried over and Available set. */
export function calculateStatus(d: DeploymentObject, all: readonly ReplicaSetObject[], newRS: ReplicaSetObject | undefined, now = Date.now()): Status {
  const available = availableReplicaCount(all);
  const status: Status = {
    ...(d.metadata.generation !== undefined ? { observedGeneration: d.metadata.generation } : {}),
    replicas: actualReplicaCount(all),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(all) - available),
    terminatingReplicas: terminatingReplicaCount(all),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: DeploymentObject, status: Status): boolean {
  const desired = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** More updated, ready or available replicas than last time, or fewer old ones. */
export function deploymentProgressing(d: DeploymentObject, status: Status): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The Progressing condition has not moved for progressDeadlineSeconds. */
export function deploymentTimedOut(d: DeploymentObject, status: Status, now = Date.now()): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, 'Progressing');
  if (!c) return false;
  if (c.reason === progressingReasons.newReplicaSetAvailable) return false;
  if (c.reason === progressingReasons.timedOut) return true;
  const from = c.lastUpdateTime ? Date.parse(c.lastUpdateTime) : NaN;
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/** Equal statuses, ignoring nothing: a write is needed whenever they differ. */
export function sameStatus(a: Status | undefined, b: Status): boolean {
  return JSON.stringify(canonical(a ?? {})) === JSON.stringify(canonical(b));
}

function canonical(s: Status): unknown {
  const keys = Object.keys(s).sort() as (keyof Status)[];
  return keys.map((k) => [k, s[k] === 0 ? undefined : s[k]]).filter(([, v]) => v !== undefined);
}
