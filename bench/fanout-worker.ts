// The watch fan-out benchmark's watchers (of the server, or of the floor's stand-in), on a worker thread with its own event loop so that
// receiving thousands of streams does not delay the main thread's creates and clocks. Each watch
// has its own TLS connection, as each member of a fleet would. Bytes are not decoded: from each
// line only the pod's number is read, and its arrival time kept.
import { parentPort, workerData } from 'node:worker_threads';
import { BenchClient, type OpenWatch } from './bench-client.js';
import { errorMessage } from '../src/lang/index.js';

export interface FanoutWorkerInput {
  readonly kubeconfig: string;
  /** Watch this port of the kubeconfig's host instead of its server's (the floor's stand-in server). */
  readonly port?: number;
  readonly path: string;
  readonly watchers: number;
  readonly pods: number;
  /** Pods are named <namePrefix><n>, n from 0 to pods - 1. */
  readonly namePrefix: string;
}

/** Messages from the worker, in order: opened, then (once every event arrived) complete, then results. */
export type FanoutWorkerMessage =
  | { readonly kind: 'opened'; readonly opened: number; readonly seconds: number; readonly firstError: string | undefined }
  | { readonly kind: 'complete' }
  | { readonly kind: 'results'; readonly results: FanoutResults };

export interface FanoutResults {
  /** arrivals[w * pods + n]: when watcher w saw pod n (performance.timeOrigin + now, ms), NaN if it did not. */
  readonly arrivals: Float64Array;
  readonly opened: number;
  readonly bytes: number;
  /** Watches the server ended before the benchmark closed them, cleanly or not. */
  readonly endedByServer: number;
  readonly broken: number;
}

const input = workerData as FanoutWorkerInput;
const marker = Buffer.from(`"name":"${input.namePrefix}`);
const quote = 0x22;
const newline = 0x0a;
/** A line whose name has not arrived yet keeps at most this much of its start. */
const maxHead = 1024;
const arrivals = new Float64Array(input.watchers * input.pods).fill(Number.NaN);
let delivered = 0;
let bytes = 0;
let endedByServer = 0;
let broken = 0;
let completeSent = false;

/** The pod number named in buf[start, end), -1 if the name is not (wholly) there. */
function podNumber(buf: Buffer, start: number, end: number): number {
  const at = buf.indexOf(marker, start);
  if (at < 0 || at + marker.length >= end) return -1;
  let n = 0;
  for (let i = at + marker.length; i < end; i++) {
    const c = buf[i]!;
    if (c === quote) return n;
    n = n * 10 + (c - 0x30);
  }
  return -1;
}

/** Follows one watcher's stream line by line without decoding it. */
function receiver(w: number): (chunk: Buffer) => void {
  // The start of a line whose pod name is still to come (empty: a line starts with the next byte).
  let head: Buffer | undefined = Buffer.alloc(0);
  const saw = (n: number, at: number) => {
    const i = w * input.pods + n;
    if (n >= 0 && n < input.pods && Number.isNaN(arrivals[i])) {
      arrivals[i] = at;
      if (++delivered === arrivals.length && !completeSent) {
        completeSent = true;
        parentPort?.postMessage({ kind: 'complete' } satisfies FanoutWorkerMessage);
      }
    }
  };
  return (chunk) => {
    const at = performance.timeOrigin + performance.now();
    bytes += chunk.length;
    let nl = chunk.indexOf(newline);
    if (head !== undefined) {
      const joined = Buffer.concat([head, chunk.subarray(0, nl < 0 ? Math.min(chunk.length, maxHead) : nl)]);
      const n = podNumber(joined, 0, joined.length);
      if (n >= 0) saw(n, at);
      head = n < 0 && nl < 0 && joined.length < maxHead ? joined : undefined;
    }
    while (nl >= 0) {
      const start = nl + 1;
      nl = chunk.indexOf(newline, start);
      const end = nl < 0 ? chunk.length : nl;
      const n = podNumber(chunk, start, end);
      if (n >= 0) saw(n, at);
      else if (nl < 0) head = Buffer.from(chunk.subarray(start, Math.min(end, start + maxHead)));
    }
  };
}

const client = await BenchClient.fromKubeconfig(input.kubeconfig, input.port);
const agent = client.agent(input.watchers);
const watches: OpenWatch[] = [];
const openedAt = performance.now();
let firstError: string | undefined;
// In batches: thousands of TLS handshakes at once only measure the handshake storm.
for (let batch = 0; batch < input.watchers && performance.now() - openedAt < 120_000; batch += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, input.watchers - batch) }, async (_, i) => {
      try {
        watches.push(
          await client.stream(agent, input.path, {
            onChunk: receiver(batch + i),
            onEnd: (how) => (how === 'ended' ? endedByServer++ : broken++),
          }),
        );
      } catch (error) {
        firstError ??= errorMessage(error);
      }
    }),
  );
}
parentPort?.postMessage({
  kind: 'opened',
  opened: watches.length,
  seconds: (performance.now() - openedAt) / 1000,
  firstError,
} satisfies FanoutWorkerMessage);

parentPort?.once('message', () => {
  for (const watch of watches) watch.close();
  agent.destroy();
  const results: FanoutResults = { arrivals, opened: watches.length, bytes, endedByServer, broken };
  parentPort?.postMessage({ kind: 'results', results } satisfies FanoutWorkerMessage, [arrivals.buffer]);
});
