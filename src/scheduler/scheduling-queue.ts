// kube-scheduler's scheduling queue: activeQ (highest priority first, then oldest), backoffQ (pods
// waiting out 1 s doubling to 10 s after a failed attempt) and the unschedulable pods, which wait for
// a cluster event one of their rejecting plugins cares about, or 5 minutes, before another attempt.
import type { ClusterEvent } from './framework.js';
import { Heap } from './heap.js';
import type { PodInfo } from './pod-info.js';

export interface QueuedPod {
  info: PodInfo;
  /** When the pod (re)entered the queue: the tie-breaker after priority. */
  timestamp: number;
  attempts: number;
  lastAttempt: number;
  /** Plugins that rejected the pod in its last attempt; empty means any event may help. */
  unschedulablePlugins: ReadonlySet<string>;
  /** The scheduling cycle the pod was last popped in. */
  cycle: number;
}

const noPods: readonly PodInfo[] = [];

export interface SchedulingQueueOptions {
  /** Which events can make a pod rejected by a plugin schedulable again. */
  readonly pluginEvents: ReadonlyMap<string, readonly ClusterEvent[]>;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly unschedulableTimeoutMs?: number;
  readonly now?: () => number;
}

export class SchedulingQueue {
  private readonly active = new Heap<QueuedPod>(
    (p) => p.info.key,
    (a, b) => a.info.priority > b.info.priority || (a.info.priority === b.info.priority && a.timestamp < b.timestamp),
  );
  private readonly backoff = new Heap<QueuedPod>(
    (p) => p.info.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPod & { since: number }>();
  private readonly inFlight = new Map<string, QueuedPod>();
  private readonly nominated = new Map<string, { info: PodInfo; node: string }>();
  private readonly nominatedByNode = new Map<string, Map<string, PodInfo>>();
  private waiters: (() => void)[] = [];
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;

  constructor(private readonly options: SchedulingQueueOptions) {
    this.now = options.now ?? Date.now;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.unschedulableTimeoutMs = options.unschedulableTimeoutMs ?? 5 * 60_000;
  }

  get lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** A new pending pod, or a new version of one: goes (back) to activeQ. */
  add(info: PodInfo): void {
    const key = info.key;
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.info = info;
      return;
    }
    const existing = this.active.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key);
    if (existing) {
      existing.info = info;
      // An update may be what the pod was waiting for; it still waits out its backoff.
      this.unschedulable.delete(key);
      this.backoff.delete(key);
      this.active.delete(key);
      if (existing.attempts > 0 && this.backoffExpiry(existing) > this.now()) this.backoff.push(existing);
      else this.pushActive(existing);
      return;
    }
    this.pushActive({ info, timestamp: this.now(), attempts: 0, lastAttempt: 0, unschedulablePlugins: new Set(), cycle: 0 });
  }

  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
    this.removeNominated(key);
  }

  has(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  async pop(): Promise<QueuedPod | undefined> {
    while (!this.closed) {
      const next = this.active.pop();
      if (next) {
        next.attempts++;
        next.lastAttempt = this.now();
        next.cycle = ++this.schedulingCycle;
        this.inFlight.set(next.info.key, next);
        return next;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return undefined;
  }

  /** The attempt ended with the pod placed (or gone). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * The attempt failed. The pod waits for a relevant event, unless one already came during its cycle
   * (or it failed for a reason no event signals), in which case it only waits out its backoff.
   */
  requeue(pod: QueuedPod, unschedulablePlugins: ReadonlySet<string>): void {
    const key = pod.info.key;
    if (this.inFlight.get(key) !== pod) return; // deleted meanwhile
    this.inFlight.delete(key);
    pod.unschedulablePlugins = unschedulablePlugins;
    pod.timestamp = this.now();
    if (this.moveRequestCycle >= pod.cycle || unschedulablePlugins.size === 0) this.backoff.push(pod);
    else this.unschedulable.set(key, { ...pod, since: this.now() });
  }

  /** A placed pod whose binding failed: it tries again after its backoff, with whatever version is newest. */
  retryAfterBackoff(pod: QueuedPod, latest: PodInfo): void {
    if (this.has(latest.key)) return;
    pod.info = latest;
    pod.unschedulablePlugins = new Set();
    this.backoff.push(pod);
  }

  /** A cluster event: unschedulable pods that one of their rejecting plugins says may now fit move on. */
  onEvent(event: ClusterEvent): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const [key, pod] of this.unschedulable) {
      if (!this.mayHelp(pod, event)) continue;
      this.unschedulable.delete(key);
      this.moveOut(pod);
    }
  }

  private mayHelp(pod: QueuedPod, event: ClusterEvent): boolean {
    if (pod.unschedulablePlugins.size === 0) return true;
    for (const plugin of pod.unschedulablePlugins) {
      if (this.options.pluginEvents.get(plugin)?.includes(event)) return true;
    }
    return false;
  }

  private moveOut(pod: QueuedPod): void {
    const { info, timestamp, attempts, lastAttempt, unschedulablePlugins, cycle } = pod;
    const plain: QueuedPod = { info, timestamp, attempts, lastAttempt, unschedulablePlugins, cycle };
    if (this.backoffExpiry(plain) > this.now()) this.backoff.push(plain);
    else this.pushActive(plain);
  }

  /** Moves pods whose backoff ended to activeQ, and pods unschedulable for too long to activeQ/backoffQ. */
  flush(): void {
    const now = this.now();
    for (let head = this.backoff.peek(); head && this.backoffExpiry(head) <= now; head = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(head);
    }
    for (const [key, pod] of this.unschedulable) {
      if (now - pod.since < this.unschedulableTimeoutMs) continue;
      this.unschedulable.delete(key);
      this.moveOut(pod);
    }
  }

  /** Runs flush once a second until the signal aborts, then wakes every waiting pop. */
  run(signal: AbortSignal): void {
    const timer = setInterval(() => this.flush(), 1000);
    timer.unref();
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        this.close();
      },
      { once: true },
    );
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  backoffDurationMs(attempts: number): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      duration *= 2;
      if (duration >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return duration;
  }

  private backoffExpiry(pod: QueuedPod): number {
    return pod.lastAttempt + this.backoffDurationMs(pod.attempts);
  }

  private pushActive(pod: QueuedPod): void {
    this.active.push(pod);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  // Nominated pods: preemptors waiting for their victims to go, which others must not overtake.

  addNominated(info: PodInfo, node: string): void {
    this.removeNominated(info.key);
    this.nominated.set(info.key, { info, node });
    let byNode = this.nominatedByNode.get(node);
    if (!byNode) this.nominatedByNode.set(node, (byNode = new Map<string, PodInfo>()));
    byNode.set(info.key, info);
  }

  removeNominated(key: string): void {
    const entry = this.nominated.get(key);
    if (!entry) return;
    this.nominated.delete(key);
    const byNode = this.nominatedByNode.get(entry.node);
    byNode?.delete(key);
    if (byNode?.size === 0) this.nominatedByNode.delete(entry.node);
  }

  nominatedNode(key: string): string | undefined {
    return this.nominated.get(key)?.node;
  }

  any(): boolean {
    return this.nominated.size > 0;
  }

  forNode(node: string): readonly PodInfo[] {
    const byNode = this.nominatedByNode.get(node);
    return byNode ? [...byNode.values()] : noPods;
  }
}
