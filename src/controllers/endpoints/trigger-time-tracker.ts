// The `endpoints.kubernetes.io/last-change-trigger-time` annotation: when the change that led to
// an endpoints write happened, as kube's tracker computes it. A service seen for the first time
// gives its creation time; later, the earliest of the pod readiness changes (and the service's
// own time) not yet reflected in a previous write.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

export const lastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  pods: Map<string, number>;
  service: number;
}

export class TriggerTimeTracker {
  private readonly services = new Map<string, ServiceState>();

  /** The trigger time (RFC 3339 with nanoseconds, as kube writes it), or undefined when nothing new triggered this sync. */
  compute(key: string, service: Service, pods: readonly Pod[]): string | undefined {
    const state = this.services.get(key);
    let min = Number.POSITIVE_INFINITY;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const t = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
      if (Number.isNaN(t)) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, t);
      if (t > (state?.pods.get(name) ?? Number.NEGATIVE_INFINITY)) min = Math.min(min, t);
    }
    const serviceTime = Date.parse(service.metadata?.creationTimestamp ?? '');
    if (!Number.isNaN(serviceTime) && serviceTime > (state?.service ?? Number.NEGATIVE_INFINITY)) min = Math.min(min, serviceTime);
    this.services.set(key, { pods: podTimes, service: Number.isNaN(serviceTime) ? 0 : serviceTime });
    if (!state) return Number.isNaN(serviceTime) ? undefined : formatTime(serviceTime);
    return Number.isFinite(min) ? formatTime(min) : undefined;
  }

  delete(key: string): void {
    this.services.delete(key);
  }
}

/** RFC 3339 the way Go prints it with nanoseconds: trailing zeros of the fraction dropped. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}
