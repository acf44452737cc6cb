// A fake API for controller unit tests: lists answer from fixed objects, watches stay open until
// the test ends, writes are recorded as actions (method, path, body) and answered with the body.
import type { ApiClient, KubeObject } from '../../client/index.js';
import { ApiResponseError, EventRecorder, InformerFactory } from '../../client/index.js';
import type { ControllerContext } from './controller-context.js';

export interface Action {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/**
 * `objects` are the lists by collection path (`/api/v1/pods`); a GET of one object's path finds it
 * there. `documents` answer GETs of other paths (discovery, a scale subresource) as they are.
 */
export function fakeCluster(objects: Record<string, KubeObject[]>, documents: Record<string, unknown> = {}) {
  const actions: Action[] = [];
  let created = 0;
  // Bodies are copied both ways, so a controller changing what it sent or got back cannot rewrite history.
  const record = (method: string) => async (path: string, body?: unknown) => {
    actions.push({ method, path, body: structuredClone(body) });
    const answer = structuredClone(body ?? {}) as { metadata?: { name?: string; generateName?: string; uid?: string } };
    if (method === 'POST' && answer.metadata) {
      created++;
      answer.metadata.name ||= `${answer.metadata.generateName ?? ''}${created}`;
      answer.metadata.uid ??= `created-${created}`;
    }
    if (method === 'PATCH') {
      const current = objectAt(objects, path);
      if (current) return { ...structuredClone(current), ...answer, metadata: { ...structuredClone(current.metadata), ...answer.metadata } };
    }
    return answer;
  };
  const client = {
    get: async (path: string) => {
      const base = path.split('?')[0]!;
      if (documents[base] !== undefined) return documents[base];
      const items = objects[base];
      if (items) return { metadata: { resourceVersion: '1' }, items };
      const found = objectAt(objects, base);
      if (found) return found;
      throw new ApiResponseError(404, 'NotFound', `GET ${path}: 404 not found`);
    },
    watch: (_path: string, _onEvent: unknown, signal: AbortSignal) =>
      new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
    create: record('POST'),
    update: record('PUT'),
    patch: record('PATCH'),
    delete: record('DELETE'),
  } as unknown as ApiClient;
  const informers = new InformerFactory(client);
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: (component) => new EventRecorder(client, component),
    config: { clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidrMaskSize: 24 },
  };
  return { ctx, actions, informers };
}

/** The object a GET of `path` (`/apis/apps/v1/namespaces/ns/replicasets/web`) names, from the lists. */
function objectAt(objects: Record<string, KubeObject[]>, path: string): KubeObject | undefined {
  const namespaced = /^(.*)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (namespaced) {
    const [, prefix, namespace, resource, name] = namespaced;
    return objects[`${prefix}/${resource}`]?.find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
  }
  const cluster = /^(.*)\/([^/]+)$/.exec(path);
  return cluster ? objects[cluster[1]!]?.find((o) => o.metadata.name === cluster[2]) : undefined;
}

/** The writes a controller made, without the events it recorded along the way. */
export function writes(actions: readonly Action[]): Action[] {
  return actions.filter((a) => !a.path.endsWith('/events'));
}

/** Waits until `check` holds (bounded), for controllers that work on their own schedule. */
export async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A namespaced object with the metadata a cache entry has, plus whatever else the test gives it. */
export function namespaced(namespace: string, name: string, extra: Record<string, unknown> = {}): KubeObject {
  return { metadata: { namespace, name, uid: `${namespace}-${name}`, resourceVersion: '1' }, ...extra };
}

/** Empty lists for the given paths, for the informers a controller starts but the test does not fill. */
export function emptyLists(...paths: string[]): Record<string, KubeObject[]> {
  return Object.fromEntries(paths.map((p) => [p, []]));
}

/** Runs a controller and the informers while `body` runs, then stops both. */
export async function running(
  run: (signal: AbortSignal) => Promise<void>,
  startInformers: (signal: AbortSignal) => void,
  body: () => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const done = run(stop.signal);
  startInformers(stop.signal);
  try {
    await body();
  } finally {
    stop.abort();
    await done;
  }
}
