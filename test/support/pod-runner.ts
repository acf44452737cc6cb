// Stands in for kubelets in tests that have no nodes: every pending pod in the watched namespaces
// is marked Running and Ready through the status subresource, as a node agent would report it.
import { ApiClient, InformerFactory, loadKubeconfig, resourcePath, type KubeObject } from '../../src/client/index.js';

interface PodView extends KubeObject {
  status?: { phase?: string };
  spec?: { containers?: { name: string; image?: string }[] };
}

export interface PodRunner {
  /** Pods marked running so far. */
  readonly started: number;
  stop(): Promise<void>;
}

/** Starts marking the pods of `namespace` running; stop() ends it and closes its connections. */
export async function startPodRunner(kubeconfig: string, namespace: string): Promise<PodRunner> {
  const client = new ApiClient(await loadKubeconfig(kubeconfig, 'test-pod-runner'));
  const stop = new AbortController();
  const informers = new InformerFactory(client);
  const pods = informers.informer<PodView>({ group: '', version: 'v1', resource: 'pods' }, { namespace });
  const inFlight = new Set<Promise<unknown>>();
  let started = 0;
  const run = (pod: PodView) => {
    if (pod.metadata.deletionTimestamp || (pod.status?.phase ?? 'Pending') !== 'Pending') return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = {
      phase: 'Running',
      startTime: now,
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
      containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    };
    const p = client
      .patch(resourcePath(pods.gvr, pod.metadata.namespace, pod.metadata.name, 'status'), { status }, 'merge')
      .then(() => started++)
      .catch(() => undefined)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  pods.addHandler({ onAdd: run, onUpdate: (_, p) => run(p) });
  informers.start(stop.signal);
  await informers.waitForSync(stop.signal);
  return {
    get started() {
      return started;
    },
    async stop() {
      stop.abort();
      await Promise.all(inFlight);
      client.close();
    },
  };
}
