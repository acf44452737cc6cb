// The Job controller's pure rules about failed pods: the pod-failure backoff before replacements
// (10 s doubling per failure since the last success, capped at 10 min, as kube's job controller)
// and which podFailurePolicy rule, if any, a failed pod matches.
import type { JobSpec, PodFailurePolicyRule } from 'kubernetes-types/batch/v1.js';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';

const podFailureBackoffMs = 10_000;
const maxPodFailureBackoffMs = 10 * 60_000;

/** How long replacements wait after the last failure, given the failures since the last success. */
export function backoffDelayMs(failuresSinceSuccess: number): number {
  if (failuresSinceSuccess <= 0) return 0;
  let delay = podFailureBackoffMs;
  for (let i = 1; i < failuresSinceSuccess; i++) {
    delay *= 2;
    if (delay >= maxPodFailureBackoffMs) return maxPodFailureBackoffMs;
  }
  return delay;
}

/** Time left before a replacement may be created (0: now). */
export function backoffRemainingMs(failuresSinceSuccess: number, lastFailureMs: number | undefined, now: number): number {
  if (!failuresSinceSuccess || lastFailureMs === undefined) return 0;
  return Math.max(0, backoffDelayMs(failuresSinceSuccess) - (now - lastFailureMs));
}

export interface PolicyMatch {
  readonly action: PodFailurePolicyRule['action'];
  /** The message kube puts in the condition when the action is FailJob. */
  readonly message: string;
}

function terminatedMatching(
  statuses: readonly ContainerStatus[] | undefined,
  rule: NonNullable<PodFailurePolicyRule['onExitCodes']>,
): ContainerStatus | undefined {
  for (const s of statuses ?? []) {
    const code = s.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (rule.containerName && rule.containerName !== s.name) continue;
    const listed = rule.values.includes(code);
    if (rule.operator === 'In' ? listed : !listed) return s;
  }
  return undefined;
}

/** The first rule of the Job's podFailurePolicy that the failed pod matches. */
export function matchPodFailurePolicy(spec: JobSpec, pod: Pod & { metadata: { name: string } }): PolicyMatch | undefined {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const ref = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  for (const [index, rule] of rules.entries()) {
    if (rule.onExitCodes) {
      const c = terminatedMatching(pod.status?.initContainerStatuses, rule.onExitCodes) ?? terminatedMatching(pod.status?.containerStatuses, rule.onExitCodes);
      if (c)
        return {
          action: rule.action,
          message: `Container ${c.name} for pod ${ref} failed with exit code ${c.state?.terminated?.exitCode ?? 0} matching ${rule.action} rule at index ${index}`,
        };
    }
    for (const pattern of rule.onPodConditions ?? []) {
      const hit = pod.status?.conditions?.find((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'));
      if (hit) return { action: rule.action, message: `Pod ${ref} has condition ${pattern.type} matching ${rule.action} rule at index ${index}` };
    }
  }
  return undefined;
}

/** "0-2,4,6-7": how kube writes completedIndexes. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}
