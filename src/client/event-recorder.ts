// Events as kube-controller-manager and kube-scheduler write them: core/v1 Events in the object's
// namespace, named `<object>.<hex nanoseconds>`, with source.component set; a repeat of the same
// object, type, reason and message bumps count and lastTimestamp of the first instead of adding one.
import { log } from '../log/index.js';
import type { ApiClient } from './api-client.js';
import { ApiResponseError } from './api-client.js';
import { kubeTime } from '../api/index.js';
import type { CachedObject } from './kube-object.js';
import { errorMessage } from '../lang/index.js';
import { gvr } from './gvr.js';
import { resourcePath } from './resource-path.js';

export type EventType = 'Normal' | 'Warning';

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  /** Writes to one event are chained so counts never go backwards. */
  pending: Promise<void>;
}

const maxRemembered = 4096;
/** client-go's spam filter: 25 events per source and object at once, then one per 5 minutes. */
const spamBurst = 25;
const spamRefillPerMs = 1 / 300_000;

export class EventRecorder {
  private readonly seen = new Map<string, Recorded>();
  /** Token buckets per involved object, so a 1,000-pod ReplicaSet writes 25 events, not 1,000. */
  private readonly spamBuckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly client: ApiClient,
    readonly component: string,
    private readonly host?: string,
  ) {}

  /** Records an event about obj; never throws (a failed write is logged). */
  event(obj: CachedObject, type: EventType, reason: string, message: string): void {
    const meta = obj.metadata;
    const namespace = meta.namespace || 'default';
    const involved = {
      kind: obj.kind,
      namespace: meta.namespace,
      name: meta.name,
      uid: meta.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: meta.resourceVersion,
    };
    if (!this.allow(JSON.stringify([obj.kind, obj.apiVersion, meta.namespace, meta.name, meta.uid]))) return;
    const key = JSON.stringify([obj.kind, meta.namespace, meta.name, meta.uid, type, reason, message]);
    const now = kubeTime();
    const known = this.seen.get(key);
    if (known) {
      // Refresh its place in the LRU order.
      this.seen.delete(key);
      this.seen.set(key, known);
      known.count++;
      const count = known.count;
      known.pending = known.pending.then(() =>
        this.client.patch(resourcePath(gvr.events, known.namespace, known.name), { count, lastTimestamp: now }, 'merge').then(
          () => undefined,
          (err: unknown) => {
            // The event expired or was deleted: start a new one.
            if (err instanceof ApiResponseError && err.status === 404) this.seen.delete(key);
            else this.failed(err, reason);
          },
        ),
      );
      return;
    }
    const name = `${meta.name}.${eventSuffix()}`;
    const record: Recorded = { name, namespace, count: 1, pending: Promise.resolve() };
    this.seen.set(key, record);
    if (this.seen.size > maxRemembered) this.seen.delete(this.seen.keys().next().value!);
    record.pending = this.client
      .create(resourcePath(gvr.events, namespace), {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: involved,
        reason,
        message,
        source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        reportingComponent: this.component,
        reportingInstance: this.host ?? '',
      })
      .then(
        () => undefined,
        (err: unknown) => {
          this.seen.delete(key);
          this.failed(err, reason);
        },
      );
  }

  private allow(spamKey: string): boolean {
    const now = Date.now();
    let bucket = this.spamBuckets.get(spamKey);
    if (!bucket) {
      bucket = { tokens: spamBurst, at: now };
      if (this.spamBuckets.size >= maxRemembered) this.spamBuckets.delete(this.spamBuckets.keys().next().value!);
    }
    this.spamBuckets.delete(spamKey);
    this.spamBuckets.set(spamKey, bucket);
    bucket.tokens = Math.min(spamBurst, bucket.tokens + (now - bucket.at) * spamRefillPerMs);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }

  /** Resolves when every write started so far has ended (tests and shutdown use it). */
  async flush(): Promise<void> {
    await Promise.all([...this.seen.values()].map((r) => r.pending));
  }

  private failed(err: unknown, reason: string): void {
    // A namespace being deleted refuses new events; that is expected and not worth a line.
    if (err instanceof ApiResponseError && err.status === 403) return;
    log.warning('Could not write event', { component: this.component, reason, error: errorMessage(err) });
  }
}

let lastSuffixNanos = 0n;

/**
 * kube names events `<name>.<UnixNano in hex>`: the wall clock in milliseconds with the sub-millisecond
 * part of the monotonic clock, kept strictly increasing so two events in one process never share a name.
 */
function eventSuffix(): string {
  let nanos = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (nanos <= lastSuffixNanos) nanos = lastSuffixNanos + 1n;
  lastSuffixNanos = nanos;
  return nanos.toString(16);
}
