// The API benchmark's watch fan-out part: 2,000 watches on pods, each on its own connection from a
// worker thread, while 2,000 pods are created; every watcher receives every pod. It reports the
// create rate, how long each event took from its create's answer to each watcher, and the server's
// memory before the watches open, while they run, and a minute after they have closed. Then the
// floor: a bare TLS server sends the same bytes to the same receiver, and the server's time to
// deliver everything is given as a multiple of the floor's.
import { fork } from 'node:child_process';
import type { Agent } from 'node:https';
import { Worker } from 'node:worker_threads';
import { dataDirLayout } from '../src/files/index.js';
import type { TestServer } from '../test/support/index.js';
import type { BenchClient } from './bench-client.js';
import type { FloorCommand, FloorMessage } from './fanout-floor.js';
import type { FanoutResults, FanoutWorkerInput, FanoutWorkerMessage } from './fanout-worker.js';
import { formatCount, formatMs, processMemory } from './figures.js';
import { closedLoop, percentile, sleep } from './load-runner.js';
import type { ResultTable } from './result-table.js';

export const fanoutNamespace = 'bench-fanout';
const watchers = 2_000;
const pods = 2_000;
const concurrency = 32;
const namePrefix = 'fan-';
/** Before the watches open, the server is left alone this long so its memory is read at rest. */
const restBeforeMs = 15_000;
/** How long after the watches close the server's memory is read again. */
const restAfterMs = 60_000;
/** How long events may take to reach every watcher after the last create was answered. */
const deliveryDeadlineMs = 120_000;

const targets = { createPerSecond: 500, deliveryP99Ms: 1_000, rssGrowth: 0.2 } as const;

export interface FanoutSetup {
  readonly client: BenchClient;
  readonly agent: Agent;
  readonly server: TestServer;
  readonly table: ResultTable;
  /** The pod the benchmark creates, as JSON. */
  readonly podManifest: (name: string) => string;
  /** Called as each phase ends (watches opened; creates and delivery), for a profile per phase. */
  readonly phaseDone?: (phase: string) => Promise<void>;
}

export async function benchWatchFanout({ client, agent, server, table, podManifest, phaseDone }: FanoutSetup): Promise<void> {
  process.stdout.write('\nWATCH FAN-OUT\n');
  const pid = server.pid;
  if (pid === undefined) throw new Error('the server process is gone');
  const podsPath = `/api/v1/namespaces/${fanoutNamespace}/pods`;
  const list = await client.request(agent, 'GET', podsPath);
  if (list.status !== 200) throw new Error(`GET ${podsPath}: HTTP ${list.status}`);
  const resourceVersion = (JSON.parse(list.body.toString('utf8')) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '';

  await sleep(restBeforeMs);
  const before = await processMemory(pid);
  let peakMb = before.rssMb;
  const sampler = setInterval(() => {
    void processMemory(pid).then(
      (m) => (peakMb = Math.max(peakMb, m.rssMb)),
      () => undefined,
    );
  }, 250);

  const worker = new Worker(new URL('./fanout-worker.js', import.meta.url), {
    workerData: {
      kubeconfig: server.kubeconfig,
      path: `${podsPath}?watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}&timeoutSeconds=1800`,
      watchers,
      pods,
      namePrefix,
    } satisfies FanoutWorkerInput,
  });
  const messages = workerMessages(worker);
  let results: FanoutResults;
  let firstCreateAt = Number.NaN;
  let createdPerSecond: number;
  let createNote = '';
  const answeredAt = new Float64Array(pods).fill(Number.NaN);
  try {
    const opened = await messages.next('opened');
    process.stdout.write(
      `  opened ${formatCount(opened.opened)} watches in ${opened.seconds.toFixed(1)} s${opened.firstError ? ` (first error: ${opened.firstError})` : ''}\n`,
    );
    await phaseDone?.('WATCH FAN-OUT: open');
    await sleep(500);

    firstCreateAt = performance.timeOrigin + performance.now();
    const created = await closedLoop(concurrency, { durationMs: 300_000, maxRequests: pods }, async (n) => {
      const res = await client.request(agent, 'POST', podsPath, { body: podManifest(`${namePrefix}${n}`) });
      if (res.status !== 201) throw new Error(`POST ${podsPath}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
      answeredAt[n] = performance.timeOrigin + performance.now();
    });
    createdPerSecond = created.elapsedMs > 0 ? (created.ok * 1000) / created.elapsedMs : 0;
    if (created.errors > 0) createNote = ` (${created.errors} errors, first: ${created.firstError ?? '?'})`;
    table.check(
      `WATCH fan-out: CREATE Pod with ${formatCount(opened.opened)} watchers open, ${concurrency} concurrent`,
      `${formatCount(Math.round(createdPerSecond))}/s, p50 ${formatMs(percentile(created.latenciesMs, 50))}, p99 ${formatMs(percentile(created.latenciesMs, 99))}${createNote}`,
      `≥ ${formatCount(targets.createPerSecond)}/s`,
      createdPerSecond,
      targets.createPerSecond,
      'atLeast',
    );
    await messages.next('complete', deliveryDeadlineMs).catch(() => undefined);
    await phaseDone?.('WATCH FAN-OUT: create and deliver');
    worker.postMessage('close');
    results = (await messages.next('results')).results;
  } finally {
    clearInterval(sampler);
    await worker.terminate();
  }
  reportDelivery(table, results, answeredAt);
  const serverMs = lastArrival(results) - firstCreateAt;

  await sleep(restAfterMs);
  const after = await processMemory(pid);
  const growth = after.rssMb / before.rssMb - 1;
  table.check(
    'WATCH fan-out: server RSS, after the watches closed',
    `${after.rssMb.toFixed(0)} MB ${restAfterMs / 1000} s after (before ${before.rssMb.toFixed(0)} MB, while ${peakMb.toFixed(0)} MB at most; ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%)`,
    `within ${targets.rssGrowth * 100}% of before`,
    growth,
    targets.rssGrowth,
    'atMost',
  );

  const lineBytes = Math.round(results.bytes / (results.opened * pods));
  const floorMs = await floorDelivery(server, lineBytes);
  const gbPerSecond = (ms: number) => (watchers * pods * lineBytes) / 1e6 / ms;
  table.add({
    figure: `WATCH fan-out floor: the same ${((watchers * pods * lineBytes) / 1e9).toFixed(2)} GB from a bare TLS server to the same receiver`,
    result:
      `floor ${formatMs(floorMs)} (${gbPerSecond(floorMs).toFixed(2)} GB/s); skiff ${formatMs(serverMs)} from the first create to the last delivery ` +
      `(${gbPerSecond(serverMs).toFixed(2)} GB/s), ${(serverMs / floorMs).toFixed(2)}× the floor; ${targets.createPerSecond} creates/s would need ` +
      `${((targets.createPerSecond * watchers * lineBytes) / 1e9).toFixed(2)} GB/s`,
    target: '—',
    verdict: '—',
  });
}

/** When the last event reached its watcher (performance.timeOrigin + now, ms). */
function lastArrival(results: FanoutResults): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const at of results.arrivals) if (at > last) last = at;
  return last;
}

/**
 * The floor: a bare HTTPS server (bench/fanout-floor.ts) with the API server's own certificate
 * sends the same number of lines of the same length to the same receiver; resolves to how long
 * from its start until the last line arrived.
 */
async function floorDelivery(server: TestServer, lineBytes: number): Promise<number> {
  const floor = fork(new URL('./fanout-floor.js', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const floorMessage = <K extends FloorMessage['kind']>(kind: K, timeoutMs: number) =>
    new Promise<Extract<FloorMessage, { kind: K }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the floor server sent no ${kind} in ${timeoutMs / 1000} s`)), timeoutMs);
      timer.unref();
      const onMessage = (m: FloorMessage) => {
        if (m.kind !== kind) return;
        clearTimeout(timer);
        floor.off('message', onMessage);
        resolve(m as Extract<FloorMessage, { kind: K }>);
      };
      floor.on('message', onMessage);
      floor.once('exit', (code) => reject(new Error(`the floor server exited (code ${code})`)));
    });
  const command = (c: FloorCommand) => floor.send(c);
  let worker: Worker | undefined;
  try {
    const listening = floorMessage('listening', 30_000);
    command({ kind: 'prepare', tlsDir: dataDirLayout(server.dataDir).serverTls, watchers, pods, namePrefix, lineBytes });
    const { port } = await listening;
    const opened = floorMessage('opened', 180_000);
    opened.catch(() => undefined);
    worker = new Worker(new URL('./fanout-worker.js', import.meta.url), {
      workerData: { kubeconfig: server.kubeconfig, port, path: '/floor', watchers, pods, namePrefix } satisfies FanoutWorkerInput,
    });
    const messages = workerMessages(worker);
    await messages.next('opened');
    await opened;
    await sleep(500);
    const startedAt = performance.timeOrigin + performance.now();
    command({ kind: 'start' });
    await messages.next('complete', deliveryDeadlineMs);
    worker.postMessage('close');
    const { results } = await messages.next('results');
    return lastArrival(results) - startedAt;
  } finally {
    await worker?.terminate();
    floor.kill();
  }
}

/** How long each event took to each watcher, and to the last of them. */
function reportDelivery(table: ResultTable, results: FanoutResults, answeredAt: Float64Array): void {
  const { arrivals, opened } = results;
  const latencies = new Float64Array(opened * pods);
  let delivered = 0;
  const toEveryWatcher: number[] = [];
  let missing = 0;
  let early = 0;
  for (let n = 0; n < pods; n++) {
    const answered = answeredAt[n]!;
    if (Number.isNaN(answered)) continue;
    let last = 0;
    for (let w = 0; w < opened; w++) {
      const at = arrivals[w * pods + n]!;
      if (Number.isNaN(at)) {
        missing++;
        last = Number.POSITIVE_INFINITY;
        continue;
      }
      // An event can beat the create's own answer to this process; it was delivered at once.
      if (at < answered) early++;
      const latency = Math.max(0, at - answered);
      latencies[delivered++] = latency;
      last = Math.max(last, latency);
    }
    toEveryWatcher.push(last);
  }
  const sorted = latencies.subarray(0, delivered).sort();
  toEveryWatcher.sort((a, b) => a - b);
  const p99 = percentile(toEveryWatcher, 99);
  const notes = [
    missing > 0 ? `${formatCount(missing)} events missing` : '',
    results.endedByServer + results.broken > 0 ? `${results.endedByServer} watches ended by the server, ${results.broken} broken` : '',
    early > 0 ? `${formatCount(early)} before the create's answer` : '',
    opened < watchers ? `only ${opened} watches open` : '',
  ].filter((note) => note !== '');
  table.check(
    `WATCH fan-out: delivery to ${formatCount(opened)} watchers × ${formatCount(pods)} pods`,
    `to every watcher p50 ${formatMs(percentile(toEveryWatcher, 50))}, p99 ${formatMs(p99)}; per event p50 ${formatMs(percentile(sorted, 50))}, p99 ${formatMs(percentile(sorted, 99))}, max ${formatMs(sorted.at(-1) ?? Number.NaN)}; ${(results.bytes / 1e9).toFixed(2)} GB received${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    `p99 ≤ ${formatMs(targets.deliveryP99Ms)}`,
    missing === 0 && opened === watchers ? p99 : Number.NaN,
    targets.deliveryP99Ms,
    'atMost',
  );
}

/**
 * The worker's messages, awaited by kind; the worker failing or exiting rejects what is awaited, as
 * does waiting longer than `timeoutMs`.
 */
function workerMessages(worker: Worker): {
  next<K extends FanoutWorkerMessage['kind']>(kind: K, timeoutMs?: number): Promise<Extract<FanoutWorkerMessage, { kind: K }>>;
} {
  const received: FanoutWorkerMessage[] = [];
  const waiting: { kind: string; resolve: (m: FanoutWorkerMessage) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  worker.on('message', (m: FanoutWorkerMessage) => {
    const i = waiting.findIndex((w) => w.kind === m.kind);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
    else received.push(m);
  });
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the watch fan-out worker exited (code ${code})`)));
  return {
    next: (kind, timeoutMs = 180_000) =>
      new Promise((resolve, reject) => {
        const i = received.findIndex((m) => m.kind === kind);
        if (i >= 0) return resolve(received.splice(i, 1)[0] as never);
        if (failure) return reject(failure);
        const timer = setTimeout(() => {
          const at = waiting.indexOf(entry);
          if (at >= 0) waiting.splice(at, 1);
          reject(new Error(`no ${kind} message from the watch fan-out worker in ${timeoutMs / 1000} s`));
        }, timeoutMs);
        const entry = {
          kind,
          resolve: (m: FanoutWorkerMessage) => {
            clearTimeout(timer);
            resolve(m as never);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiting.push(entry);
      }),
  };
}
