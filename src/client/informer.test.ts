import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApiClient, WatchEventLine } from './api-client.js';
import { Informer } from './informer.js';
import type { KubeObject } from './kube-object.js';
import { gvr } from './index.js';

const cm = (name: string, rv: string): KubeObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv } });

/** A scripted server: each list answers the next page set, each watch plays the next event script. */
function fakeClient(lists: { rv: string; items: KubeObject[] }[], watches: WatchEventLine[][]) {
  const paths: string[] = [];
  const client = {
    get: async (path: string) => {
      paths.push(path);
      const l = lists.shift();
      if (!l) throw new Error('no more lists');
      return { metadata: { resourceVersion: l.rv }, items: l.items };
    },
    watch: async (path: string, onEvent: (e: WatchEventLine) => void, signal: AbortSignal) => {
      paths.push(path);
      const script = watches.shift();
      if (!script) return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      for (const e of script) onEvent(e);
    },
  };
  return { client: client as unknown as ApiClient, paths };
}

describe('Informer', () => {
  test('a 410 during the watch relists and reconciles: deletes, updates and adds only what changed', async () => {
    const { client, paths } = fakeClient(
      [
        { rv: '5', items: [cm('a', '1'), cm('b', '2'), cm('same', '3')] },
        { rv: '9', items: [cm('a', '8'), cm('c', '9'), cm('same', '3')] },
      ],
      [
        [
          { type: 'MODIFIED', object: cm('a', '6') as unknown as Record<string, unknown> },
          { type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } },
        ],
        [{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 7 (8)' } }],
      ],
    );
    const informer = new Informer<KubeObject>(client, gvr.configMaps, { namespace: 'ns', labelSelector: 'app=x' });
    const seen: string[] = [];
    informer.addHandler({
      onAdd: (o) => seen.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
      onUpdate: (old, o) => seen.push(`update ${o.metadata.name}@${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    const stop = new AbortController();
    const run = informer.run(stop.signal);
    await informer.waitForSync();
    const deadline = Date.now() + 2000;
    while (!seen.includes('add c@9') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await run;
    assert.deepEqual(seen, ['add a@1', 'add b@2', 'add same@3', 'update a@1->6', 'delete b', 'update a@6->8', 'add c@9']);
    assert.deepEqual(informer.store.keys().sort(), ['ns/a', 'ns/c', 'ns/same']);
    assert.match(paths[0]!, /^\/api\/v1\/namespaces\/ns\/configmaps\?labelSelector=app%3Dx&limit=500$/);
    assert.match(paths[1]!, /watch=true&allowWatchBookmarks=true&resourceVersion=5&timeoutSeconds=\d+$/);
    // The second watch resumes from the bookmark's version.
    assert.match(paths[2]!, /resourceVersion=7&/);
  });

  test('a handler added after sync receives the cached objects as adds; a throwing handler does not stop the others', async () => {
    const { client } = fakeClient([{ rv: '1', items: [cm('a', '1')] }], []);
    const informer = new Informer<KubeObject>(client, gvr.configMaps);
    informer.addHandler({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    const stop = new AbortController();
    const run = informer.run(stop.signal);
    await informer.waitForSync();
    const late: string[] = [];
    informer.addHandler({ onAdd: (o) => late.push(o.metadata.name) });
    stop.abort();
    await run;
    assert.deepEqual(late, ['a']);
  });
});
