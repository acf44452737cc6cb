// Pod statuses as the kubelet writes them through a pod's life, for containers that are only
// simulated: started (Running, IPs, ready conditions), exited (Succeeded or Failed, or restarted
// under the pod's restartPolicy) and what the annotations ask for.
import { randomBytes } from 'node:crypto';
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { kubeTime } from '../api/index.js';
import { parseGoDurationMs } from '../time/index.js';

export const simulatedDurationAnnotation = 'skiff.dev/simulated-duration';
export const simulatedExitCodeAnnotation = 'skiff.dev/simulated-exit-code';

export interface SimulatedRun {
  /** How long the containers run before they exit; undefined: until the pod is deleted. */
  readonly durationMs: number | undefined;
  readonly exitCode: number;
}

/** What the pod's annotations ask of its simulated containers; throws on a malformed annotation. */
export function simulatedRun(pod: Pod): SimulatedRun {
  const annotations = pod.metadata?.annotations ?? {};
  const durationText = annotations[simulatedDurationAnnotation];
  const codeText = annotations[simulatedExitCodeAnnotation];
  let durationMs: number | undefined;
  if (durationText !== undefined) {
    durationMs = parseGoDurationMs(durationText);
    if (durationMs < 0) throw new Error(`${simulatedDurationAnnotation}: ${JSON.stringify(durationText)} is negative`);
  }
  let exitCode = 0;
  if (codeText !== undefined) {
    exitCode = Number(codeText);
    if (!/^\d{1,3}$/.test(codeText) || exitCode > 255)
      throw new Error(`${simulatedExitCodeAnnotation}: ${JSON.stringify(codeText)} is not an exit code from 0 to 255`);
  }
  return { durationMs, exitCode };
}

export interface PodAddresses {
  readonly hostIP: string;
  readonly podIP: string;
}

function containerId(): string {
  return `skiff-sim://${randomBytes(32).toString('hex')}`;
}

function condition(type: string, status: 'True' | 'False', time: string, reason?: string): PodCondition {
  return { type, status, lastProbeTime: null as unknown as string, lastTransitionTime: time, ...(reason ? { reason } : {}) };
}

/** Keeps a condition's transition time when its status did not change. */
function carry(previous: readonly PodCondition[], next: PodCondition): PodCondition {
  const before = previous.find((c) => c.type === next.type);
  if (before && before.status === next.status && (before.reason ?? '') === (next.reason ?? '') && before.lastTransitionTime)
    return { ...next, lastTransitionTime: before.lastTransitionTime };
  return next;
}

function scheduledCondition(pod: Pod, time: string): PodCondition {
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True') ?? condition('PodScheduled', 'True', time);
}

/** The status of a pod whose containers have all started and are ready. */
export function runningStatus(pod: Pod, addresses: PodAddresses, now: number): PodStatus {
  const time = kubeTime(now);
  const previous = pod.status?.conditions ?? [];
  const startTime = pod.status?.startTime ?? time;
  const initContainerStatuses: ContainerStatus[] = (pod.spec?.initContainers ?? []).map((c) => {
    const sidecar = c.restartPolicy === 'Always';
    return {
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: containerId(),
      ready: true,
      restartCount: 0,
      started: sidecar,
      state: sidecar ? { running: { startedAt: time } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt: time, finishedAt: time } },
    };
  });
  const containerStatuses: ContainerStatus[] = (pod.spec?.containers ?? []).map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    containerID: containerId(),
    ready: true,
    restartCount: 0,
    started: true,
    state: { running: { startedAt: time } },
  }));
  return {
    phase: 'Running',
    conditions: [
      carry(previous, condition('PodReadyToStartContainers', 'True', time)),
      carry(previous, condition('Initialized', 'True', time)),
      carry(previous, condition('Ready', 'True', time)),
      carry(previous, condition('ContainersReady', 'True', time)),
      scheduledCondition(pod, time),
    ],
    hostIP: addresses.hostIP,
    hostIPs: [{ ip: addresses.hostIP }],
    podIP: addresses.podIP,
    podIPs: [{ ip: addresses.podIP }],
    startTime,
    ...(initContainerStatuses.length ? { initContainerStatuses } : {}),
    containerStatuses,
  };
}

/** Whether the kubelet restarts a container that exited with this code under the pod's policy. */
export function restartsAfterExit(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/** The status after every container exited with exitCode: the containers restarted, or the pod finished. */
export function exitedStatus(pod: Pod, exitCode: number, now: number): PodStatus {
  const time = kubeTime(now);
  const status = pod.status ?? {};
  const reason = exitCode === 0 ? 'Completed' : 'Error';
  const terminated = (c: ContainerStatus) => ({
    exitCode,
    reason,
    startedAt: c.state?.running?.startedAt ?? time,
    finishedAt: time,
    ...(c.containerID ? { containerID: c.containerID } : {}),
  });
  if (restartsAfterExit(pod, exitCode)) {
    // The kubelet waits out the crash-loop back-off before it starts the container again.
    const names = (status.containerStatuses ?? []).map((c) => c.name);
    const previous = status.conditions ?? [];
    const notReady = (type: string) => ({
      ...condition(type, 'False', time, 'ContainersNotReady'),
      message: `containers with unready status: [${names.join(' ')}]`,
    });
    return {
      ...status,
      conditions: previous.map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? notReady(c.type) : c)),
      containerStatuses: (status.containerStatuses ?? []).map((c) => ({
        ...c,
        ready: false,
        started: false,
        lastState: { terminated: terminated(c) },
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${restartBackOffMs(c.restartCount) / 1000}s restarting failed container=${c.name} pod=${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`,
          },
        },
      })),
    };
  }
  const phase = exitCode === 0 ? 'Succeeded' : 'Failed';
  const notReadyReason = exitCode === 0 ? 'PodCompleted' : 'PodFailed';
  const previous = status.conditions ?? [];
  return {
    ...status,
    phase,
    conditions: [
      condition('PodReadyToStartContainers', 'False', time),
      carry(previous, condition('Initialized', 'True', time, 'PodCompleted')),
      condition('Ready', 'False', time, notReadyReason),
      condition('ContainersReady', 'False', time, notReadyReason),
      scheduledCondition(pod, time),
    ],
    containerStatuses: (status.containerStatuses ?? []).map((c) => ({ ...c, ready: false, started: false, state: { terminated: terminated(c) } })),
    ...(status.initContainerStatuses
      ? {
          initContainerStatuses: status.initContainerStatuses.map((c) =>
            c.state?.running ? { ...c, ready: false, started: false, state: { terminated: { ...terminated(c), exitCode: 0, reason: 'Completed' } } } : c,
          ),
        }
      : {}),
  };
}

/** The kubelet's crash-loop back-off: 10 s after the first exit, doubling up to 5 minutes. */
export function restartBackOffMs(restartCount: number): number {
  return Math.min(300_000, 10_000 * 2 ** Math.min(restartCount, 5));
}

/** The status once a crash-looping container is started again. */
export function restartedStatus(pod: Pod, now: number): PodStatus {
  const time = kubeTime(now);
  const status = pod.status ?? {};
  return {
    ...status,
    conditions: (status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? condition(c.type, 'True', time) : c)),
    containerStatuses: (status.containerStatuses ?? []).map((c) => ({
      ...c,
      containerID: containerId(),
      ready: true,
      started: true,
      restartCount: c.restartCount + 1,
      state: { running: { startedAt: time } },
    })),
  };
}

/**
 * What the simulated kubelet does next for a started pod, and when (ms since the epoch): the
 * containers exit after the simulated duration, a crash-looping one restarts after its back-off.
 */
export function nextTransition(pod: Pod, run: SimulatedRun): { at: number; kind: 'exit' | 'restart' } | undefined {
  const first = pod.status?.containerStatuses?.[0];
  if (!first) return undefined;
  if (first.state?.waiting && first.lastState?.terminated?.finishedAt)
    return { at: Date.parse(first.lastState.terminated.finishedAt) + restartBackOffMs(first.restartCount), kind: 'restart' };
  const started = first.state?.running?.startedAt;
  if (run.durationMs === undefined || !started) return undefined;
  return { at: Date.parse(started) + run.durationMs, kind: 'exit' };
}

/**
 * The kubelet keeps the API in line with what it runs: when others marked a running pod not ready
 * (its node was unreachable for a while), it posts Ready again. Undefined when nothing is off.
 */
export function reassertedStatus(pod: Pod, now: number): PodStatus | undefined {
  const status = pod.status ?? {};
  const containers = status.containerStatuses ?? [];
  if (!containers.length || !containers.every((c) => c.ready && c.state?.running)) return undefined;
  const conditions = status.conditions ?? [];
  if (conditions.every((c) => (c.type !== 'Ready' && c.type !== 'ContainersReady') || c.status === 'True')) return undefined;
  const time = kubeTime(now);
  return {
    ...status,
    conditions: conditions.map((c) => ((c.type === 'Ready' || c.type === 'ContainersReady') && c.status !== 'True' ? condition(c.type, 'True', time) : c)),
  };
}
