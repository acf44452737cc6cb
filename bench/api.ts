// The API server benchmark: starts a real `skiff server` on loopback with a fresh data dir and measures
// GET, CREATE, UPDATE, LIST and watch delivery against it over HTTPS with the admin certificate, the
// server's memory with 10,000 pods stored, then watch fan-out (2,000 watchers while pods are
// created, see watch-fanout.ts); once on SQLite and once on a private etcd, printed side by side.
// Every phase is bounded in count and time. `npm run bench -- watch-fanout` runs only the fan-out,
// on SQLite.
// BENCH_PROFILE_DIR=<dir> also writes a server CPU profile and memory breakdown per phase there.
import type { Agent } from 'node:https';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { startEtcd, startServer, type TestServer } from '../test/support/index.js';
import { renderComparison } from './comparison-table.js';
import { BenchClient, type BenchResponse, type OpenWatch } from './bench-client.js';
import { formatCount, formatMs, processMemory } from './figures.js';
import { closedLoop, openLoop, percentile, sleep, type LoadResult } from './load-runner.js';
import { ResultTable } from './result-table.js';
import { benchWatchFanout, fanoutNamespace } from './watch-fanout.js';
import { errorMessage } from '../src/lang/index.js';

const concurrency = 32;
const measureMs = 5_000;
const warmupMs = 1_000;
const largeListPods = 10_000;
const smallListPods = 500;
const watchers = 1_000;
const watchUpdates = 20;

const targets = {
  getPerSecond: 5_000,
  createPerSecond: 2_000,
  createP99AtHalfRateMs: 25,
  pacedCreatePerSecond: 200,
  createP99AtPacedRateMs: 50,
  list10kP99Ms: 250,
  watchP99Ms: 100,
  rssMb: 300,
} as const;

const namespaces = {
  get: 'bench-get',
  large: 'bench-10k',
  small: 'bench-500',
  update: 'bench-update',
  watch: 'bench-watch',
  paced: 'bench-paced',
  fanout: fanoutNamespace,
} as const;

export interface ApiBenchOptions {
  /** Only the watch fan-out part, on SQLite only. */
  readonly fanoutOnly?: boolean;
}

/** Runs the API benchmark on both backends and prints their tables side by side; resolves to the exit code (1 if a target is missed). */
export async function runApiBench(options: ApiBenchOptions = {}): Promise<number> {
  const startedAt = performance.now();
  const loadAtStart = loadavg();
  process.stdout.write(
    `skiff API benchmark: node ${process.version}, ${availableParallelism()} cores, load average ${formatLoad(loadAtStart)}, concurrency ${concurrency}\n`,
  );
  process.stdout.write('\n=== backend sqlite ===\n');
  const sqlite = await runWorkload('sqlite', [], options);
  if (options.fanoutOnly) {
    process.stdout.write(`\nload average at end ${formatLoad(loadavg())}; took ${((performance.now() - startedAt) / 1000).toFixed(0)} s\n\n${sqlite.render()}`);
    return sqlite.failures() === 0 ? 0 : 1;
  }
  process.stdout.write('\n=== backend etcd ===\n');
  const etcd = await startEtcd();
  let onEtcd: ResultTable;
  try {
    process.stdout.write(`etcd pid ${etcd.pid} at ${etcd.endpoint}\n`);
    onEtcd = await runWorkload('etcd', ['--datastore-endpoint', etcd.endpoint], options);
  } finally {
    await etcd.stop();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  process.stdout.write(
    `\nload average at start ${formatLoad(loadAtStart)}, at end ${formatLoad(loadavg())} (${availableParallelism()} cores, shared); took ${seconds.toFixed(0)} s\n\n`,
  );
  process.stdout.write(
    renderComparison([
      { name: 'sqlite', table: sqlite },
      { name: 'etcd', table: onEtcd },
    ]),
  );
  return sqlite.failures() + onEtcd.failures() === 0 ? 0 : 1;
}

/** The whole workload against one fresh server on the given backend. */
async function runWorkload(backend: string, serverArgs: readonly string[], options: ApiBenchOptions): Promise<ResultTable> {
  const table = new ResultTable();
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profilerEnv = profileDir
    ? { NODE_OPTIONS: `--import ${new URL('./server-profiler.js', import.meta.url).href}`, SKIFF_BENCH_PROFILE_DIR: profileDir }
    : undefined;
  const server = await startServer({ startTimeoutMs: 60_000, extraArgs: serverArgs, ...(profilerEnv ? { env: profilerEnv } : {}) });
  process.stdout.write(`${backend}: server pid ${server.pid ?? '?'} at ${server.url}, data dir ${server.dataDir}\n`);
  const phaseDone = new PhaseProfiles(server, profileDir);
  const client = await BenchClient.fromKubeconfig(server.kubeconfig);
  const agent = client.agent(concurrency);
  const watches: OpenWatch[] = [];
  const watchAgents: Agent[] = [];
  try {
    const api = new Api(client, agent);
    for (const ns of Object.values(namespaces))
      await api.expect('POST', '/api/v1/namespaces', [201], { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (options.fanoutOnly) {
      await benchWatchFanout({ client, agent, server, table, podManifest, phaseDone: (phase) => phaseDone.mark(phase) });
      return table;
    }

    await benchGet(api, table);
    await phaseDone.mark('GET');
    const created = await benchCreate(api, table);
    await phaseDone.mark('CREATE');
    await fillPods(api, namespaces.large, created, largeListPods);
    await fillPods(api, namespaces.small, 0, smallListPods);
    await phaseDone.mark('fill');
    await benchUpdate(api, table);
    await phaseDone.mark('UPDATE');
    await benchList(api, table);
    await phaseDone.mark('LIST');
    await benchMemory(api, server, table);
    await phaseDone.mark('MEMORY');
    await benchWatch(api, client, table, watches, watchAgents);
    await phaseDone.mark('WATCH');
    // The fan-out reads the server's memory before and after its own watches: these go first.
    for (const watch of watches.splice(0)) watch.close();
    for (const watchAgent of watchAgents.splice(0)) watchAgent.destroy();
    await benchWatchFanout({ client, agent, server, table, podManifest, phaseDone: (phase) => phaseDone.mark(phase) });
  } finally {
    for (const watch of watches) watch.close();
    for (const watchAgent of watchAgents) watchAgent.destroy();
    agent.destroy();
    await server.stop();
  }
  return table;
}

/**
 * With BENCH_PROFILE_DIR set, the server runs bench/server-profiler.ts; each mark asks it for the CPU
 * profile of the phase that just ended (n.cpuprofile) and its memory after a collection (n.memory.json).
 */
class PhaseProfiles {
  private sequence = 0;
  constructor(
    private readonly server: TestServer,
    private readonly directory: string | undefined,
  ) {}

  async mark(phase: string): Promise<void> {
    if (this.directory === undefined || this.server.pid === undefined) return;
    const file = path.join(this.directory, `${++this.sequence}.memory.json`);
    process.kill(this.server.pid, 'SIGUSR2');
    const deadline = performance.now() + 15_000;
    while (!existsSync(file) && performance.now() < deadline) await sleep(100);
    process.stdout.write(
      `  profile ${this.sequence}.cpuprofile: ${phase}${existsSync(file) ? `; memory ${await readFile(file, 'utf8')}` : ' (not written)'}\n`,
    );
  }
}

/** Thin request helpers over one keep-alive agent. */
class Api {
  constructor(
    readonly client: BenchClient,
    readonly agent: Agent,
  ) {}

  /** Sends `body` as JSON (or as is, when a string) and fails unless the status is one of `statuses`. */
  async expect(method: string, path: string, statuses: readonly number[], body?: unknown, contentType?: string, accept?: string): Promise<BenchResponse> {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await this.client.request(this.agent, method, path, {
      ...(text === undefined ? {} : { body: text }),
      ...(contentType ? { contentType } : {}),
      ...(accept ? { accept } : {}),
    });
    if (!statuses.includes(res.status)) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    return res;
  }

  async json(method: string, path: string, statuses: readonly number[], body?: unknown, contentType?: string): Promise<Record<string, unknown>> {
    const res = await this.expect(method, path, statuses, body, contentType);
    return JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  }
}

async function benchGet(api: Api, table: ResultTable): Promise<void> {
  process.stdout.write('\nGET\n');
  const cmPath = `/api/v1/namespaces/${namespaces.get}/configmaps`;
  await api.expect('POST', cmPath, [201], {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'target', labels: { app: 'bench' } },
    data: { 'app.properties': 'mode=bench\nlevel=info\n'.repeat(8) },
  });
  await api.expect('POST', `/api/v1/namespaces/${namespaces.get}/pods`, [201], podManifest('target'));
  for (const [kind, path] of [
    ['ConfigMap', `${cmPath}/target`],
    ['Pod', `/api/v1/namespaces/${namespaces.get}/pods/target`],
  ] as const) {
    const get = () => api.expect('GET', path, [200]).then(() => undefined);
    await closedLoop(concurrency, { durationMs: warmupMs, maxRequests: 100_000 }, get);
    const result = await closedLoop(concurrency, { durationMs: measureMs, maxRequests: 200_000 }, get);
    table.check(
      `GET one ${kind}, ${concurrency} concurrent`,
      throughputSummary(result),
      `≥ ${formatCount(targets.getPerSecond)}/s`,
      rate(result),
      targets.getPerSecond,
      'atLeast',
    );
  }
}

/** Measures CREATE in the large-list namespace; resolves to how many pods it stored there. */
async function benchCreate(api: Api, table: ResultTable): Promise<number> {
  process.stdout.write('\nCREATE\n');
  const path = `/api/v1/namespaces/${namespaces.large}/pods`;
  let sequence = 0;
  let stored = 0;
  const create = async () => {
    await api.expect('POST', path, [201], podManifest(`pod-${sequence++}`));
    stored++;
  };
  await closedLoop(concurrency, { durationMs: warmupMs, maxRequests: 1_000 }, create);
  // Leave room under 10,000 for the paced run, so the large list holds exactly 10,000 pods.
  const result = await closedLoop(concurrency, { durationMs: measureMs, maxRequests: 5_000 }, create);
  const maxRate = rate(result);
  table.check(
    `CREATE Pod (JSON), ${concurrency} concurrent`,
    throughputSummary(result),
    `≥ ${formatCount(targets.createPerSecond)}/s`,
    maxRate,
    targets.createPerSecond,
    'atLeast',
  );

  const pacedRate = Math.max(1, Math.floor(maxRate / 2));
  const room = largeListPods - stored;
  const pacedMs = Math.min(4_000, Math.floor((room / pacedRate) * 1000));
  const paced = await openLoop(pacedRate, { durationMs: pacedMs, maxRequests: room }, create);
  const p99 = percentile(paced.latenciesMs, 99);
  table.check(
    `CREATE p99 paced at ${formatCount(pacedRate)}/s (half max) for ${(paced.elapsedMs / 1000).toFixed(1)} s`,
    `p50 ${formatMs(percentile(paced.latenciesMs, 50))}, p99 ${formatMs(p99)}${errorNote(paced)}`,
    `p99 ≤ ${targets.createP99AtHalfRateMs} ms`,
    paced.errors === 0 ? p99 : Number.NaN,
    targets.createP99AtHalfRateMs,
    'atMost',
  );

  // A fixed everyday rate, the same on every backend, in its own namespace so the large list stays exact.
  let pacedSequence = 0;
  const pacedCreate = () =>
    api.expect('POST', `/api/v1/namespaces/${namespaces.paced}/pods`, [201], podManifest(`paced-${pacedSequence++}`)).then(() => undefined);
  const fixed = await openLoop(targets.pacedCreatePerSecond, { durationMs: 3_000, maxRequests: targets.pacedCreatePerSecond * 3 }, pacedCreate);
  const fixedP99 = percentile(fixed.latenciesMs, 99);
  table.check(
    `CREATE p99 paced at ${targets.pacedCreatePerSecond}/s for ${(fixed.elapsedMs / 1000).toFixed(1)} s`,
    `p50 ${formatMs(percentile(fixed.latenciesMs, 50))}, p99 ${formatMs(fixedP99)}${errorNote(fixed)}`,
    `p99 ≤ ${targets.createP99AtPacedRateMs} ms`,
    fixed.errors === 0 ? fixedP99 : Number.NaN,
    targets.createP99AtPacedRateMs,
    'atMost',
  );
  return stored;
}

/** Tops a namespace up to `want` pods named pod-<n>, continuing after the `have` already there. */
async function fillPods(api: Api, namespace: string, have: number, want: number): Promise<void> {
  if (have >= want) return;
  const path = `/api/v1/namespaces/${namespace}/pods`;
  let sequence = 0;
  const filled = await closedLoop(concurrency, { durationMs: 90_000, maxRequests: want - have }, async () => {
    await api.expect('POST', path, [201], podManifest(`fill-${sequence++}`));
  });
  process.stdout.write(`  stored ${formatCount(have + filled.ok)} pods in ${namespace} (${rate(filled).toFixed(0)}/s while filling${errorNote(filled)})\n`);
}

async function benchUpdate(api: Api, table: ResultTable): Promise<void> {
  process.stdout.write('\nUPDATE\n');
  const cmPath = `/api/v1/namespaces/${namespaces.update}/configmaps`;
  // One object per worker: concurrent PUTs of one object would mostly measure conflicts.
  const current: Record<string, unknown>[] = [];
  for (let worker = 0; worker < concurrency; worker++) {
    await api.expect('POST', cmPath, [201], {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${worker}` },
      data: { counter: '0', 'app.properties': 'mode=bench\n'.repeat(16) },
    });
    current.push(await api.json('GET', `${cmPath}/cm-${worker}`, [200]));
  }
  const put = async (index: number, worker: number) => {
    const object = current[worker]!;
    object.data = { ...(object.data as Record<string, string>), counter: String(index) };
    current[worker] = await api.json('PUT', `${cmPath}/cm-${worker}`, [200], object);
  };
  const putResult = await closedLoop(concurrency, { durationMs: 4_000, maxRequests: 100_000 }, put);
  table.add({ figure: `UPDATE ConfigMap (PUT of fetched object), ${concurrency} concurrent`, result: throughputSummary(putResult), target: '—', verdict: '—' });

  const podPath = `/api/v1/namespaces/${namespaces.small}/pods`;
  const patch = (index: number, worker: number) =>
    api
      .expect(
        'PATCH',
        `${podPath}/fill-${worker}`,
        [200],
        { metadata: { annotations: { 'bench.skiff.dev/counter': String(index) } } },
        'application/merge-patch+json',
      )
      .then(() => undefined);
  const patchResult = await closedLoop(concurrency, { durationMs: 4_000, maxRequests: 100_000 }, patch);
  table.add({
    figure: `UPDATE Pod (merge PATCH of an annotation), ${concurrency} concurrent`,
    result: throughputSummary(patchResult),
    target: '—',
    verdict: '—',
  });
}

async function benchList(api: Api, table: ResultTable): Promise<void> {
  process.stdout.write('\nLIST\n');
  const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io';
  const cases = [
    {
      figure: `LIST ${formatCount(smallListPods)} pods (JSON)`,
      path: `/api/v1/namespaces/${namespaces.small}/pods`,
      accept: undefined,
      expect: smallListPods,
      field: 'items',
      runs: 15,
    },
    {
      figure: `LIST ${formatCount(smallListPods)} pods (Table, limit=500)`,
      path: `/api/v1/namespaces/${namespaces.small}/pods?limit=500`,
      accept: tableAccept,
      expect: smallListPods,
      field: 'rows',
      runs: 15,
    },
    {
      figure: `LIST ${formatCount(largeListPods)} pods (JSON)`,
      path: `/api/v1/namespaces/${namespaces.large}/pods`,
      accept: undefined,
      expect: largeListPods,
      field: 'items',
      runs: 8,
    },
  ] as const;
  for (const c of cases) {
    // The first answer doubles as warm-up and as the check that the list is what it claims to be.
    const first = await api.expect('GET', c.path, [200], undefined, undefined, c.accept);
    const parsed = JSON.parse(first.body.toString('utf8')) as Record<string, unknown>;
    const count = Array.isArray(parsed[c.field]) ? (parsed[c.field] as unknown[]).length : -1;
    const latencies: number[] = [];
    const deadline = performance.now() + 60_000;
    for (let run = 0; run < c.runs && performance.now() < deadline; run++) {
      const sentAt = performance.now();
      await api.expect('GET', c.path, [200], undefined, undefined, c.accept);
      latencies.push(performance.now() - sentAt);
    }
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    const result = `p50 ${formatMs(percentile(latencies, 50))}, p99 ${formatMs(p99)} over ${latencies.length} runs, ${formatCount(count)} ${c.field}, ${(first.body.length / 1e6).toFixed(1)} MB`;
    if (count !== c.expect)
      table.add({
        figure: c.figure,
        result: `${result} (expected ${c.expect} ${c.field})`,
        target: c.expect === largeListPods ? `p99 ≤ ${targets.list10kP99Ms} ms` : '—',
        verdict: 'FAIL',
      });
    else if (c.expect === largeListPods) table.check(c.figure, result, `p99 ≤ ${targets.list10kP99Ms} ms`, p99, targets.list10kP99Ms, 'atMost');
    else table.add({ figure: c.figure, result, target: '—', verdict: '—' });
  }
}

/** How long the server idles before its RSS is read as at rest. */
const restWaitMs = 35_000;

async function benchMemory(api: Api, server: TestServer, table: ResultTable): Promise<void> {
  process.stdout.write('\nMEMORY\n');
  const pid = server.pid;
  if (pid === undefined) throw new Error('the server process is gone');
  const memory = () => processMemory(pid);
  // Right after the load the heap still holds the large lists' garbage; V8 gives memory back once
  // the process has been idle for a while. The target is the server at rest holding the pods.
  await sleep(3_000);
  const afterLoad = await memory();
  const started = performance.now();
  let atRest = afterLoad;
  while (performance.now() - started < restWaitMs) {
    await sleep(1_000);
    atRest = await memory();
  }
  const rssMb = atRest.rssMb;
  const peakMb = atRest.peakMb;
  const stored = await Promise.all(
    [namespaces.get, namespaces.large, namespaces.small].map(async (ns) => {
      const list = await api.json('GET', `/api/v1/namespaces/${ns}/pods?limit=1`, [200]);
      const metadata = list.metadata as { remainingItemCount?: number } | undefined;
      return (Array.isArray(list.items) ? list.items.length : 0) + (metadata?.remainingItemCount ?? 0);
    }),
  );
  const pods = stored.reduce((sum, n) => sum + n, 0);
  table.check(
    `server RSS with ${formatCount(pods)} pods stored`,
    `${rssMb.toFixed(0)} MB at rest (${afterLoad.rssMb.toFixed(0)} MB 3 s after the load, peak ${peakMb.toFixed(0)} MB)`,
    `≤ ${targets.rssMb} MB`,
    rssMb,
    targets.rssMb,
    'atMost',
  );
}

async function benchWatch(api: Api, client: BenchClient, table: ResultTable, watches: OpenWatch[], agents: Agent[]): Promise<void> {
  process.stdout.write('\nWATCH\n');
  const cmPath = `/api/v1/namespaces/${namespaces.watch}/configmaps`;
  await api.expect('POST', cmPath, [201], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' }, data: { 'bench-seq': '0' } });
  const list = await api.json('GET', cmPath, [200]);
  const resourceVersion = (list.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? '';
  // received[w * watchUpdates + seq - 1]: when watcher w saw update seq (NaN until it does).
  const received = new Float64Array(watchers * watchUpdates).fill(Number.NaN);
  const marker = /"bench-seq":"(\d+)"/;
  const perAgent = 250;
  for (let i = 0; i < watchers / perAgent; i++) agents.push(client.agent(perAgent));
  const openStart = performance.now();
  const watchPath = `${cmPath}?watch=1&resourceVersion=${resourceVersion}&timeoutSeconds=600`;
  let opened = 0;
  let openError: string | undefined;
  // Open in small batches: a thousand TLS handshakes at once only measures the handshake storm.
  for (let batch = 0; batch < watchers && performance.now() - openStart < 60_000; batch += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, watchers - batch) }, async (_, i) => {
        const w = batch + i;
        try {
          watches.push(
            await client.watch(agents[Math.floor(w / perAgent)]!, watchPath, (line, at) => {
              const seq = Number(marker.exec(line)?.[1] ?? 0);
              if (seq >= 1 && seq <= watchUpdates) received[w * watchUpdates + seq - 1] = at;
            }),
          );
          opened++;
        } catch (error) {
          openError ??= errorMessage(error);
        }
      }),
    );
  }
  process.stdout.write(
    `  opened ${opened} watches in ${((performance.now() - openStart) / 1000).toFixed(1)} s${openError ? ` (first error: ${openError})` : ''}\n`,
  );
  await sleep(500);

  const answeredAt: number[] = [];
  for (let seq = 1; seq <= watchUpdates; seq++) {
    await api.expect('PATCH', `${cmPath}/watched`, [200], { data: { 'bench-seq': String(seq) } }, 'application/merge-patch+json');
    answeredAt.push(performance.now());
    await sleep(150);
  }
  const deadline = performance.now() + 5_000;
  const allSeen = () => received.every((t, i) => Math.floor(i / watchUpdates) >= opened || !Number.isNaN(t));
  while (!allSeen() && performance.now() < deadline) await sleep(50);

  const latencies: number[] = [];
  let missing = 0;
  let early = 0;
  for (let w = 0; w < opened; w++) {
    for (let seq = 1; seq <= watchUpdates; seq++) {
      const at = received[w * watchUpdates + seq - 1]!;
      if (Number.isNaN(at)) {
        missing++;
        continue;
      }
      const latency = at - answeredAt[seq - 1]!;
      // An event can beat the write's own response to this process; it was delivered at once.
      if (latency < 0) early++;
      latencies.push(Math.max(0, latency));
    }
  }
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  const notes = [
    missing > 0 ? `${missing} events missing` : '',
    early > 0 ? `${early} before the write's response` : '',
    opened < watchers ? `only ${opened} watches open` : '',
  ].filter((n) => n !== '');
  table.check(
    `watch delivery, ${formatCount(opened)} watchers × ${watchUpdates} updates`,
    `p50 ${formatMs(percentile(latencies, 50))}, p99 ${formatMs(p99)}, max ${formatMs(latencies.at(-1) ?? Number.NaN)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    `p99 ≤ ${targets.watchP99Ms} ms`,
    missing === 0 && opened === watchers ? p99 : Number.NaN,
    targets.watchP99Ms,
    'atMost',
  );
}

/**
 * A small but realistic pod: one container with ports, env, resources and a probe. It names a
 * scheduler that does not run, so the cluster's own scheduler leaves the 10,000 pods alone and the
 * figures are the API server's.
 */
function podManifest(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'web' }, annotations: { 'bench.skiff.dev/purpose': 'api-benchmark' } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80 }],
          env: [{ name: 'MODE', value: 'bench' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 10,
      schedulerName: 'skiff-bench-unscheduled',
    },
  });
}

function rate(result: LoadResult): number {
  return result.elapsedMs > 0 ? (result.ok * 1000) / result.elapsedMs : 0;
}

function throughputSummary(result: LoadResult): string {
  return `${formatCount(Math.round(rate(result)))}/s, p50 ${formatMs(percentile(result.latenciesMs, 50))}, p99 ${formatMs(percentile(result.latenciesMs, 99))}${errorNote(result)}`;
}

function errorNote(result: LoadResult): string {
  return result.errors > 0 ? ` (${result.errors} errors, first: ${result.firstError ?? '?'})` : '';
}

function formatLoad(load: number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}
