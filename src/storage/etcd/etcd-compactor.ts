// Automatic compaction for servers sharing one etcd, the way kube-apiserver does it: every
// interval, compact to the revision seen at the previous interval, claiming the round first by
// bumping the version of a guard key so two servers never compact the same interval twice.
import type { EtcdClient } from './etcd-client.js';

export const COMPACT_GUARD_KEY = '/registry/compact_rev_key';

export interface EtcdCompactorOptions {
  /** Default: 5 minutes. */
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** What a round needs of the backend: its etcd client for the guard key, and compaction. */
export interface CompactionTarget {
  readonly etcd: Pick<EtcdClient, 'txn'>;
  compact(revision: number): Promise<void>;
}

/** The state carried from one round to the next: the guard key's version and the revision to compact to. */
export interface CompactorState {
  readonly version: number;
  readonly revision: number;
}

/** One round: claims it when the guard key still has the expected version, then compacts to the previous round's revision. */
export async function compactRound(backend: CompactionTarget, state: CompactorState): Promise<CompactorState> {
  const key = Buffer.from(COMPACT_GUARD_KEY);
  const response = await backend.etcd.txn({
    compare: [{ key, target: 'VERSION', result: 'EQUAL', version: String(state.version) }],
    success: [{ request_put: { key, value: Buffer.from(String(state.revision)) } }],
    failure: [{ request_range: { key } }],
  });
  if (!response.succeeded) {
    // Another server claimed this interval: follow its clock and compact nothing now.
    const version = Number(response.responses[0]?.response_range?.kvs[0]?.version ?? 0);
    return { version, revision: Number(response.header.revision) };
  }
  if (state.revision > 0) await backend.compact(state.revision);
  return { version: state.version + 1, revision: Number(response.header.revision) };
}

/** Runs rounds on a timer until `signal` aborts; resolves once stopped. */
export function startEtcdCompactor(backend: CompactionTarget, options: EtcdCompactorOptions, signal: AbortSignal): Promise<void> {
  const intervalMs = options.intervalMs ?? 5 * 60 * 1000;
  let state: CompactorState = { version: 0, revision: 0 };
  return new Promise((resolve) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      compactRound(backend, state)
        .then((next) => {
          state = next;
        })
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    const stop = (): void => {
      clearInterval(timer);
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
