// The controllers' work queue, with client-go's guarantees: a key added many times before it is
// processed is processed once, one key is never processed by two workers at once (an add while
// it is in flight queues it again afterwards), and failures retry with per-key exponential backoff.
import { log } from '../log/index.js';
import { ApiResponseError } from './api-client.js';

export interface WorkQueueOptions {
  readonly name: string;
  /** First retry delay after a failure (default 5 ms), doubled per failure up to maxDelayMs (default 1000 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** How soon a key whose handler met a 409 Conflict is looked at again. */
const conflictRetryMs = 50;

export class WorkQueue<K = string> {
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: ((k: K | undefined) => void)[] = [];
  private shutDown = false;

  constructor(private readonly options: WorkQueueOptions) {}

  get length(): number {
    return this.queue.length - this.head;
  }

  add(key: K): void {
    if (this.shutDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else this.queue.push(key);
  }

  /** Adds the key after a delay; of several pending delays for one key the earliest wins. */
  addAfter(key: K, ms: number): void {
    if (this.shutDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    // Node fires a timer longer than 2^31 - 1 ms after 1 ms; a delay that long (a deadline of
    // 2^31 seconds in a spec) syncs once after ~24 days instead, and the sync asks again.
    const timer = setTimeout(
      () => {
        this.delayed.delete(key);
        this.add(key);
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    this.delayed.set(key, { at, timer });
  }

  /** Adds the key after its backoff, which doubles with every call until forget(). */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.options.maxDelayMs ?? 1_000_000, (this.options.baseDelayMs ?? 5) * 2 ** n));
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /**
   * Runs `workers` loops that take keys and hand them to the handler until the signal aborts. A
   * handler that throws gets its key back after the key's backoff; one that returns resets it.
   * A 409 Conflict only means the cache is behind the handler's own last write, so that key is
   * looked at again shortly, without the error log and backoff real failures get.
   */
  async run(workers: number, handler: (key: K) => Promise<void>, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.shutdown(), { once: true });
    if (signal.aborted) this.shutdown();
    const worker = async () => {
      for (;;) {
        const key = await this.get();
        if (key === undefined) return;
        try {
          await handler(key);
          this.forget(key);
        } catch (err) {
          if (isConflict(err)) {
            this.forget(key);
            this.addAfter(key, conflictRetryMs);
          } else if (!this.shutDown) {
            log.error('Error syncing, will retry', err, { queue: this.options.name, key: String(key), attempt: this.numRequeues(key) + 1 });
            this.addRateLimited(key);
          }
        } finally {
          this.done(key);
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  }

  private get(): Promise<K | undefined> {
    if (this.shutDown) return Promise.resolve(undefined);
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  private shutdown(): void {
    this.shutDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

function isConflict(err: unknown): boolean {
  return err instanceof ApiResponseError && err.status === 409;
}
