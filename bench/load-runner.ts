// Load generators for the benchmarks: a closed loop (a fixed number of workers, each sending its next
// request when the previous one is answered) for throughput, and an open loop (requests sent on a
// fixed schedule whatever the server does) for latency at a given rate. Both stop at a time limit
// and a count limit, whichever comes first.
import { errorMessage } from '../src/lang/index.js';

export interface LoadResult {
  /** Requests that succeeded. */
  readonly ok: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly elapsedMs: number;
  /** Latencies of the successful requests, in milliseconds, sorted ascending. */
  readonly latenciesMs: Float64Array;
}

export interface LoadLimits {
  readonly durationMs: number;
  readonly maxRequests: number;
}

/** One request; `index` counts from 0 across all workers. Throws (or rejects) on failure. */
export type Operation = (index: number, worker: number) => Promise<void>;

export async function closedLoop(concurrency: number, limits: LoadLimits, operation: Operation): Promise<LoadResult> {
  const recorder = new Recorder(limits.maxRequests);
  const start = performance.now();
  const end = start + limits.durationMs;
  let issued = 0;
  const worker = async (id: number): Promise<void> => {
    while (issued < limits.maxRequests && performance.now() < end) {
      const index = issued++;
      const sentAt = performance.now();
      try {
        await operation(index, id);
        recorder.success(performance.now() - sentAt);
      } catch (error) {
        recorder.failure(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  return recorder.result(performance.now() - start);
}

/**
 * Sends `ratePerSecond` requests a second. A request's latency counts from when it was due, not when
 * it left, so a server that falls behind shows it instead of silently slowing the schedule down.
 */
export async function openLoop(ratePerSecond: number, limits: LoadLimits, operation: Operation): Promise<LoadResult> {
  const total = Math.min(limits.maxRequests, Math.floor((ratePerSecond * limits.durationMs) / 1000));
  const recorder = new Recorder(total);
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  // Late answers must not keep the run going far past its window.
  const hardEnd = start + limits.durationMs + 15_000;
  while (issued < total) {
    const now = performance.now();
    if (now > hardEnd) break;
    while (issued < total && start + issued * intervalMs <= now) {
      const dueAt = start + issued * intervalMs;
      const pending = operation(issued, 0).then(
        () => recorder.success(performance.now() - dueAt),
        (error: unknown) => recorder.failure(error),
      );
      issued++;
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
    }
    await sleep(Math.max(0, Math.min(2, start + issued * intervalMs - performance.now())));
  }
  await Promise.race([Promise.all(inFlight), sleep(Math.max(0, hardEnd - performance.now()))]);
  for (let i = recorder.count(); i < issued; i++) recorder.failure(new Error('no answer before the run ended'));
  return recorder.result(performance.now() - start);
}

class Recorder {
  private latencies: Float64Array;
  private ok = 0;
  private errors = 0;
  private firstError: string | undefined;

  constructor(expected: number) {
    this.latencies = new Float64Array(Math.max(16, Math.min(expected, 1_000_000)));
  }

  success(latencyMs: number): void {
    if (this.ok === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.ok++] = latencyMs;
  }

  failure(error: unknown): void {
    this.errors++;
    this.firstError ??= errorMessage(error);
  }

  count(): number {
    return this.ok + this.errors;
  }

  result(elapsedMs: number): LoadResult {
    return { ok: this.ok, errors: this.errors, firstError: this.firstError, elapsedMs, latenciesMs: this.latencies.slice(0, this.ok).sort() };
  }
}

/** The p-th percentile (0-100) of ascending values, nearest-rank; NaN when there are none. */
export function percentile(sorted: Float64Array | readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
