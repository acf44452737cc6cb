// The scheduler benchmark: a real `skiff server` (its scheduler included) with Node objects created
// directly (capacity, allocatable, Ready), then pods without nodeName created as fast as the API takes
// them; a watch records when each pod is bound. Prints pods/s scheduled from the first binding to the
// last, for 10,000 pods on 1,000 nodes and 5,000 pods on 5,000 nodes, against kube-scheduler-like targets.
// BENCH_PROFILE_DIR=<dir> also writes the server's CPU profile of each scenario there (n.cpuprofile).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { newPodInfo, SchedulerCache, SchedulingAlgorithm } from '../src/scheduler/index.js';
import { startServer } from '../test/support/index.js';
import { BenchClient } from './bench-client.js';
import { closedLoop } from './load-runner.js';
import { ResultTable } from './result-table.js';

interface Scenario {
  readonly nodes: number;
  readonly pods: number;
  readonly targetPerSecond: number;
}

const scenarios: readonly Scenario[] = [
  { nodes: 1_000, pods: 10_000, targetPerSecond: 1_000 },
  { nodes: 5_000, pods: 5_000, targetPerSecond: 500 },
];
const concurrency = 32;
const namespace = 'bench-scheduler';
const bindTimeoutMs = 180_000;

/** Runs every scenario on a fresh server; resolves to the exit code (1 if a target is missed). */
export async function runSchedulerBench(): Promise<number> {
  const startedAt = performance.now();
  process.stdout.write(`skiff scheduler benchmark: node ${process.version}, ${availableParallelism()} cores, load average ${formatLoad()}\n`);
  const table = new ResultTable();
  for (const scenario of scenarios) algorithmAlone(scenario, table);
  for (const scenario of scenarios) await runScenario(scenario, table);
  process.stdout.write(`\nload average at end ${formatLoad()}; took ${((performance.now() - startedAt) / 1000).toFixed(0)} s\n\n${table.render()}`);
  return table.failures() === 0 ? 0 : 1;
}

/**
 * The scheduling cycles alone, in this process with no API server: the scheduler's own ceiling, to
 * compare with the end-to-end figure (which adds creating, binding, events and watches over HTTPS).
 */
function algorithmAlone(s: Scenario, table: ResultTable): void {
  const cache = new SchedulerCache();
  for (let i = 0; i < s.nodes; i++) cache.addOrUpdateNode(nodeManifest(i) as Parameters<SchedulerCache['addOrUpdateNode']>[0]);
  const algorithm = new SchedulingAlgorithm();
  const started = performance.now();
  for (let i = 0; i < s.pods; i++) {
    const pod = newPodInfo({ ...(podManifest(i) as object), metadata: { name: `pod-${i}`, namespace, labels: { app: 'bench' } } });
    const result = algorithm.schedule(pod, cache);
    if (result.kind !== 'scheduled') throw new Error(`pod-${i} did not fit in the in-process run`);
    cache.assumePod(pod, result.node);
  }
  const perSecond = (s.pods * 1000) / (performance.now() - started);
  table.add({
    figure: `scheduling cycles alone, ${count(s.pods)} pods / ${count(s.nodes)} nodes`,
    result: `${perSecond.toFixed(0)} pods/s (in-process, no API)`,
    target: 'for comparison',
    verdict: '—',
    value: perSecond,
  });
}

async function runScenario(s: Scenario, table: ResultTable): Promise<void> {
  process.stdout.write(`\n=== ${count(s.pods)} pods onto ${count(s.nodes)} nodes ===\n`);
  // One directory per scenario: each server numbers its profiles from 1.
  const profileDir = process.env.BENCH_PROFILE_DIR ? path.join(process.env.BENCH_PROFILE_DIR, `${s.pods}-pods-${s.nodes}-nodes`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profilerEnv = profileDir
    ? { NODE_OPTIONS: `--import ${new URL('./server-profiler.js', import.meta.url).href}`, SKIFF_BENCH_PROFILE_DIR: profileDir }
    : undefined;
  const server = await startServer({ startTimeoutMs: 60_000, ...(profilerEnv ? { env: profilerEnv } : {}) });
  const client = await BenchClient.fromKubeconfig(server.kubeconfig);
  const agent = client.agent(concurrency);
  const watchAgent = client.agent(1);
  let watch: { close(): void } | undefined;
  try {
    const send = async (method: string, path: string, body: unknown, ok: number): Promise<void> => {
      const res = await client.request(agent, method, path, { body: JSON.stringify(body) });
      if (res.status !== ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    };
    await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, 201);
    const nodes = await closedLoop(concurrency, { durationMs: 120_000, maxRequests: s.nodes }, (i) => send('POST', '/api/v1/nodes', nodeManifest(i), 201));
    if (nodes.ok !== s.nodes) throw new Error(`created ${nodes.ok} of ${s.nodes} nodes: ${nodes.firstError ?? 'time limit'}`);
    process.stdout.write(`  created ${count(s.nodes)} nodes in ${(nodes.elapsedMs / 1000).toFixed(1)} s\n`);

    const bound = new Set<string>();
    let firstBind = 0;
    let lastBind = 0;
    let allBound: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allBound = resolve));
    watch = await client.watch(watchAgent, `/api/v1/namespaces/${namespace}/pods?watch=true`, (line, at) => {
      if (!line.includes('"nodeName"')) return;
      const event = JSON.parse(line) as { object?: { metadata?: { name?: string }; spec?: { nodeName?: string } } };
      const name = event.object?.metadata?.name;
      if (!name || !event.object?.spec?.nodeName || bound.has(name)) return;
      bound.add(name);
      if (bound.size === 1) firstBind = at;
      lastBind = at;
      if (bound.size === s.pods) allBound();
    });
    const createdAt = performance.now();
    const pods = await closedLoop(concurrency, { durationMs: 120_000, maxRequests: s.pods }, (i) =>
      send('POST', `/api/v1/namespaces/${namespace}/pods`, podManifest(i), 201),
    );
    process.stdout.write(
      `  created ${count(pods.ok)} pods in ${(pods.elapsedMs / 1000).toFixed(1)} s (${((pods.ok * 1000) / pods.elapsedMs).toFixed(0)}/s)${pods.errors ? `, ${pods.errors} errors: ${pods.firstError ?? ''}` : ''}\n`,
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, bindTimeoutMs)))]);
    clearTimeout(timer);
    const seconds = (lastBind - firstBind) / 1000;
    const perSecond = bound.size > 1 && seconds > 0 ? (bound.size - 1) / seconds : Number.NaN;
    process.stdout.write(
      `  bound ${count(bound.size)} of ${count(s.pods)} pods; first bind ${((firstBind - createdAt) / 1000).toFixed(2)} s after the first create, last ${((lastBind - createdAt) / 1000).toFixed(2)} s\n`,
    );
    table.check(
      `${count(s.pods)} pods onto ${count(s.nodes)} nodes`,
      `${Number.isFinite(perSecond) ? perSecond.toFixed(0) : '—'} pods/s scheduled (${count(bound.size)} bound in ${seconds.toFixed(1)} s)`,
      `≥ ${count(s.targetPerSecond)} pods/s`,
      bound.size === s.pods ? perSecond : Number.NaN,
      s.targetPerSecond,
      'atLeast',
    );
    if (profileDir && server.pid !== undefined) await saveProfile(server.pid, profileDir);
  } finally {
    watch?.close();
    watchAgent.destroy();
    agent.destroy();
    await server.stop();
  }
}

/** Asks the server's profiler (bench/server-profiler.ts) for the profile so far and waits until it is written. */
async function saveProfile(pid: number, directory: string): Promise<void> {
  const file = path.join(directory, '1.memory.json');
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + 15_000;
  while (!existsSync(file) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(`  profile ${path.join(directory, '1.cpuprofile')}\n`);
}

function nodeManifest(i: number): unknown {
  const name = `bench-node-${i}`;
  const resources = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '500Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated', lastHeartbeatTime: new Date().toISOString() }],
    },
  };
}

function podManifest(i: number): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatLoad(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
