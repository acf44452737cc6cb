// The scale benchmark's latency probe, run on a worker thread with its own API client so that what
// it measures is the server: the benchmark's main thread follows a thousand pods through an
// informer, and a probe sharing that event loop timed the benchmark's own event handling too.
// Writes a ConfigMap and deletes it at a fixed rate until told to stop, then posts the latencies.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiClient, loadKubeconfig } from '../src/client/index.js';

interface ProbeInput {
  readonly kubeconfig: string;
  readonly ratePerSecond: number;
  readonly namespace: string;
}

export interface ProbeResult {
  readonly latencies: number[];
  readonly errors: number;
}

const input = workerData as ProbeInput;
const client = new ApiClient({ ...(await loadKubeconfig(input.kubeconfig, 'skiff-bench-probe')), maxSockets: 4 });
const latencies: number[] = [];
let errors = 0;
let n = 0;
const inFlight = new Set<Promise<void>>();
const write = async (method: string, pathName: string, body?: unknown): Promise<void> => {
  const t = performance.now();
  try {
    await client.call(method, pathName, body);
    latencies.push(performance.now() - t);
  } catch {
    errors++;
  }
};
const base = `/api/v1/namespaces/${input.namespace}/configmaps`;
const timer = setInterval(() => {
  const name = `probe-${n++}`;
  const p = write('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } }).then(() => write('DELETE', `${base}/${name}`));
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
}, 1000 / input.ratePerSecond);
parentPort?.once('message', () => {
  clearInterval(timer);
  void Promise.all(inFlight).then(() => {
    client.close();
    latencies.sort((a, b) => a - b);
    parentPort?.postMessage({ latencies, errors } satisfies ProbeResult);
  });
});
parentPort?.postMessage('started');
