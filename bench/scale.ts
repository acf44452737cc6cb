// The control-plane scale benchmark: one `skiff server` with its scheduler and controllers,
// `skiff sim` keeping 1,000 simulated nodes, 29 Deployments of 1,000 pods as the cluster's load,
// then the time for one more 1,000-replica Deployment to be all Running, the API's mutating p99
// during that rollout (a probe writing at a steady rate, and the server's own histogram), and the
// server's memory. Every wait is bounded in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiClient, Informer, gvr, loadKubeconfig, type KubeObject } from '../src/client/index.js';
import { repoRoot, startServer, type TestServer } from '../test/support/index.js';
import { percentile, sleep } from './load-runner.js';
import { ResultTable } from './result-table.js';
import type { ProbeResult } from './probe-worker.js';

const nodes = 1_000;
const backgroundDeployments = 29;
const replicas = 1_000;
const probeRatePerSecond = 20;

const targets = { rolloutSeconds: 15, mutatingP99Ms: 100, rssGb: 1.5 } as const;

interface Deployment extends KubeObject {
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}
interface Pod extends KubeObject {
  status?: { phase?: string };
}

export async function runScaleBench(): Promise<number> {
  const started = performance.now();
  process.stdout.write(`skiff scale benchmark: node ${process.version}, ${availableParallelism()} cores, load average ${formatLoad()}\n`);
  const table = new ResultTable();
  // A /24 per node: 1,000 nodes need more than the default /16 holds.
  const server = await startServer({ startTimeoutMs: 60_000, extraArgs: ['--cluster-cidr', '172.16.0.0/12'] });
  const stop = new AbortController();
  let sim: ChildProcess | undefined;
  const client = new ApiClient({ ...(await loadKubeconfig(server.kubeconfig, 'skiff-bench-scale')), maxSockets: 16 });
  try {
    process.stdout.write(`server pid ${server.pid ?? '?'} at ${server.url}\n`);
    sim = startSim(server, nodes);
    const ready = await timed(() => waitForReadyNodes(client, nodes, 180_000));
    process.stdout.write(`${nodes} simulated nodes Ready in ${ready.seconds.toFixed(1)} s\n`);

    process.stdout.write(`\nLOAD: ${backgroundDeployments} Deployments × ${replicas} replicas\n`);
    await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'load' } });
    await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'measure' } });
    const load = await timed(async () => {
      for (let i = 0; i < backgroundDeployments; i++) await client.create('/apis/apps/v1/namespaces/load/deployments', deployment(`load-${i}`, replicas));
      await waitForAvailable(client, 'load', backgroundDeployments * replicas, 900_000, stop.signal);
    });
    process.stdout.write(
      `  ${backgroundDeployments * replicas} pods Running in ${load.seconds.toFixed(1)} s (${((backgroundDeployments * replicas) / load.seconds).toFixed(0)} pods/s)\n`,
    );

    process.stdout.write(`\nROLLOUT: one Deployment of ${replicas} replicas with ${backgroundDeployments * replicas} pods in the cluster\n`);
    const before = await scrapeMutating(client);
    const probe = await startProbe(server.kubeconfig, probeRatePerSecond);
    const rollout = await timed(async () => {
      await client.create('/apis/apps/v1/namespaces/measure/deployments', deployment('measured', replicas));
      await waitForRunningPods(client, 'measure', replicas, 120_000, stop.signal);
    });
    const probed = await probe.stop();
    const after = await scrapeMutating(client);
    table.check(
      `${replicas}-replica Deployment all Running`,
      `${rollout.seconds.toFixed(1)} s`,
      `≤ ${targets.rolloutSeconds} s`,
      rollout.seconds,
      targets.rolloutSeconds,
      'atMost',
    );
    const p99 = percentile(probed.latencies, 99);
    table.check(
      `mutating API p99 during the rollout (probe, ${probeRatePerSecond}/s creates and deletes)`,
      `p50 ${percentile(probed.latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${probed.latencies.length} requests${probed.errors ? `, ${probed.errors} errors` : ''}`,
      `≤ ${targets.mutatingP99Ms} ms`,
      probed.errors ? Number.NaN : p99,
      targets.mutatingP99Ms,
      'atMost',
    );
    const serverP99 = histogramP99(before, after);
    table.add({
      figure: 'mutating API p99 during the rollout (server histogram, all clients)',
      result: `≤ ${serverP99.bound} s bucket over ${serverP99.count} requests`,
      target: `≤ ${targets.mutatingP99Ms} ms`,
      verdict: serverP99.bound * 1000 <= targets.mutatingP99Ms ? 'PASS' : 'FAIL',
    });
    const mem = await memory(server);
    table.check(
      `server RSS with ${nodes} nodes and ${(backgroundDeployments + 1) * replicas} pods`,
      `${mem.rssGb.toFixed(2)} GB (peak ${mem.peakGb.toFixed(2)} GB)`,
      `≤ ${targets.rssGb} GB`,
      mem.peakGb,
      targets.rssGb,
      'atMost',
    );
  } finally {
    stop.abort();
    client.close();
    if (sim?.pid) {
      sim.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      if (sim.exitCode === null) sim.kill('SIGKILL');
    }
    await server.stop();
  }
  process.stdout.write(`\nload average at end ${formatLoad()}; took ${((performance.now() - started) / 1000).toFixed(0)} s\n\n${table.render()}`);
  return table.failures() === 0 ? 0 : 1;
}

function startSim(server: TestServer, count: number): ChildProcess {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'skiff.js'), 'sim', '--nodes', String(count), '--kubeconfig', server.kubeconfig], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.stdout.write(`skiff sim pid ${child.pid ?? '?'} with ${count} nodes\n`);
  return child;
}

function deployment(name: string, count: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: count,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] },
      },
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}

async function waitForReadyNodes(client: ApiClient, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await client.get<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('/api/v1/nodes');
    const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} nodes Ready after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/** Waits until the Deployments of a namespace report `total` available replicas, watching them. */
async function waitForAvailable(client: ApiClient, namespace: string, total: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const informer = new Informer<Deployment>(client, gvr.deployments, { namespace });
  const available = () => informer.store.list().reduce((sum, d) => sum + (d.status?.availableReplicas ?? 0), 0);
  await watchUntil(
    informer,
    () => available() >= total,
    timeoutMs,
    signal,
    () => `${available()} of ${total} replicas available`,
  );
}

/** Waits until `count` pods of a namespace are Running, watching them. */
async function waitForRunningPods(client: ApiClient, namespace: string, count: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const informer = new Informer<Pod>(client, gvr.pods, { namespace });
  const running = () => informer.store.list().filter((p) => p.status?.phase === 'Running').length;
  await watchUntil(
    informer,
    () => running() >= count,
    timeoutMs,
    signal,
    () => `${running()} of ${count} pods Running`,
  );
}

async function watchUntil(informer: Informer<KubeObject>, done: () => boolean, timeoutMs: number, signal: AbortSignal, progress: () => string): Promise<void> {
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const running = informer.run(local.signal);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s: ${progress()}`)), timeoutMs);
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
      };
      informer.addHandler({ onAdd: check, onUpdate: check, onDelete: check });
      void informer.waitForSync(local.signal).then(check);
    });
  } finally {
    local.abort();
    signal.removeEventListener('abort', onAbort);
    await running;
  }
}

/** Creates and deletes ConfigMaps at a fixed rate, timing each write. */
/** Starts the probe (bench/probe-worker) on its own thread; resolves once it is writing. */
async function startProbe(kubeconfig: string, ratePerSecond: number): Promise<{ stop(): Promise<ProbeResult> }> {
  const worker = new Worker(new URL('./probe-worker.js', import.meta.url), { workerData: { kubeconfig, ratePerSecond, namespace: 'measure' } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    async stop() {
      const result = new Promise<ProbeResult>((resolve, reject) => {
        worker.once('message', (m: ProbeResult) => resolve(m));
        worker.once('error', reject);
      });
      worker.postMessage('stop');
      const answer = await result;
      await worker.terminate();
      return answer;
    },
  };
}

type Histogram = Map<number, number>;

/** The cumulative apiserver_request_duration_seconds buckets of mutating verbs, summed over resources. */
async function scrapeMutating(client: ApiClient): Promise<Histogram> {
  const text = await client.text('/metrics');
  const buckets: Histogram = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_duration_seconds_bucket{')) continue;
    const verb = /verb="([A-Z]+)"/.exec(line)?.[1];
    if (!verb || !['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'].includes(verb)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!le || !Number.isFinite(value)) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets;
}

/** The upper bound of the bucket holding the 99th percentile of the requests between two scrapes. */
function histogramP99(before: Histogram, after: Histogram): { bound: number; count: number } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const count = delta.at(-1) ?? 0;
  const i = delta.findIndex((c) => c >= count * 0.99);
  return { bound: bounds[i] ?? Number.NaN, count };
}

async function memory(server: TestServer): Promise<{ rssGb: number; peakGb: number }> {
  if (server.pid === undefined) throw new Error('the server process is gone');
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssGb: kb('VmRSS') / 1024 / 1024, peakGb: kb('VmHWM') / 1024 / 1024 };
}

function formatLoad(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
