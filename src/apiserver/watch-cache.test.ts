// Unit tests of the watch cache over the in-memory storage backend: seeding, applying the store's
// events, key-ordered prefix lists, the event window, listeners and revision waits.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryBackend, type StorageBackend } from '../storage/index.js';
import { ResourceCache, WatchCache, type CacheEvent } from './watch-cache.js';

const pods = { group: '', resource: 'pods' };
const configmaps = { group: '', resource: 'configmaps' };
const podKey = (ns: string, name: string) => `/registry/core/pods/${ns}/${name}`;

function pod(ns: string, name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, ...extra },
    spec: { nodeName: 'node-a' },
    status: { phase: 'Running' },
  });
}

async function withCache(fn: (backend: StorageBackend, cache: WatchCache) => Promise<void>, seed?: (b: StorageBackend) => Promise<void>): Promise<void> {
  const backend = createMemoryBackend();
  let cache: WatchCache | undefined;
  try {
    if (seed) await seed(backend);
    cache = await WatchCache.start(backend, [pods, configmaps]);
    await fn(backend, cache);
  } finally {
    cache?.close();
    await backend.close();
  }
}

test('start seeds every known resource from the store at its revision and ignores other keys', async () => {
  await withCache(
    async (backend, cache) => {
      assert.equal(cache.revision, await backend.currentRevision());
      assert.equal(cache.resource(pods).size, 2);
      assert.equal(cache.resource(configmaps).size, 1);
      const a = cache.resource(pods).get(podKey('default', 'a'));
      assert.equal(a?.revision, 1);
      assert.equal(a?.toObject().metadata && (a.toObject().metadata as { resourceVersion: string }).resourceVersion, '1');
      assert.throws(() => cache.resource({ group: 'apps', resource: 'deployments' }), /no watch cache for deployments\.apps/);
    },
    async (b) => {
      await b.create(podKey('default', 'a'), pod('default', 'a'));
      await b.create(podKey('default', 'b'), pod('default', 'b'));
      await b.create('/registry/core/configmaps/default/c', JSON.stringify({ metadata: { name: 'c', namespace: 'default' } }));
      await b.create('/registry/ranges/serviceips/10.0.0.1', '{}');
    },
  );
});

test('store writes reach the cache as ADDED, MODIFIED and DELETED events, batched per resource', async () => {
  await withCache(async (backend, cache) => {
    const rc = cache.resource(pods);
    const seen: CacheEvent[] = [];
    const unsubscribe = rc.subscribe((events) => seen.push(...events));
    assert.equal(rc.watcherCount, 1);
    const created = await backend.create(podKey('ns', 'p'), pod('ns', 'p'));
    const updated = await backend.update(podKey('ns', 'p'), pod('ns', 'p', { labels: { app: 'web' } }), created.modRevision);
    const deleted = await backend.delete(podKey('ns', 'p'));
    await backend.create('/registry/core/configmaps/ns/x', JSON.stringify({ metadata: { name: 'x', namespace: 'ns' } }));
    await cache.waitUntilFresh(2000);
    assert.deepEqual(
      seen.map((e) => [e.type, e.revision]),
      [
        ['ADDED', created.modRevision],
        ['MODIFIED', updated.modRevision],
        ['DELETED', deleted.modRevision],
      ],
    );
    const [, modified, gone] = seen;
    assert.equal(modified?.prev?.revision, created.modRevision);
    assert.deepEqual(modified?.object.labels(), { app: 'web' });
    // The deleted object is the last state, stamped with the deletion's revision.
    assert.equal(gone?.object.revision, deleted.modRevision);
    assert.equal((gone?.object.toObject().metadata as { resourceVersion: string }).resourceVersion, String(deleted.modRevision));
    assert.equal(rc.get(podKey('ns', 'p')), undefined);
    assert.equal(rc.changedAt, deleted.modRevision);
    assert.equal(cache.resource(configmaps).size, 1);
    unsubscribe();
    assert.equal(rc.watcherCount, 0);
    await backend.create(podKey('ns', 'q'), pod('ns', 'q'));
    await cache.waitUntilFresh(2000);
    assert.equal(seen.length, 3, 'no delivery after unsubscribe');
  });
});

test('list returns the objects under a prefix in key order after inserts and deletes', async () => {
  await withCache(async (backend, cache) => {
    for (const [ns, name] of [
      ['b', 'z'],
      ['a', 'y'],
      ['b', 'a'],
      ['ab', 'm'],
      ['a', 'b'],
    ] as const) {
      await backend.create(podKey(ns, name), pod(ns, name));
    }
    await cache.waitUntilFresh(2000);
    const rc = cache.resource(pods);
    const names = (prefix: string) => rc.list(prefix).map((o) => `${o.namespace}/${o.name}`);
    assert.deepEqual(names('/registry/core/pods/'), ['a/b', 'a/y', 'ab/m', 'b/a', 'b/z']);
    // A namespace prefix ends with '/', so namespace "a" does not include "ab".
    assert.deepEqual(names('/registry/core/pods/a/'), ['a/b', 'a/y']);
    assert.deepEqual(names('/registry/core/pods/c/'), []);
    await backend.delete(podKey('a', 'b'));
    await backend.create(podKey('a', 'c'), pod('a', 'c'));
    await backend.create(podKey('0', 'first'), pod('0', 'first'));
    await cache.waitUntilFresh(2000);
    assert.deepEqual(names('/registry/core/pods/'), ['0/first', 'a/c', 'a/y', 'ab/m', 'b/a', 'b/z']);
    assert.deepEqual(names('/registry/core/pods/a/'), ['a/c', 'a/y']);
  });
});

test('eventsAfter answers the window after a revision; the window start moves once it overflows', () => {
  const rc = new ResourceCache(pods, 100);
  assert.deepEqual(rc.eventsAfter(100), []);
  assert.equal(rc.eventsAfter(99), undefined);
  const put = (rev: number, name: string) =>
    rc.apply({ type: 'put', revision: rev, kv: { key: podKey('ns', name), value: pod('ns', name), createRevision: rev, modRevision: rev } });
  const total = 10_005;
  for (let i = 1; i <= total; i++) put(100 + i, `p${i % 50}`);
  // Capacity is 10,000: the five oldest events fell out, and revisions before them can no longer be answered.
  assert.equal(rc.windowStart, 105);
  assert.equal(rc.eventsAfter(104), undefined);
  assert.equal(rc.eventsAfter(100), undefined);
  const fromStart = rc.eventsAfter(105);
  assert.equal(fromStart?.length, 10_000);
  assert.equal(fromStart?.[0]?.revision, 106);
  assert.deepEqual(
    rc.eventsAfter(100 + total - 2)?.map((e) => e.revision),
    [100 + total - 1, 100 + total],
  );
  assert.deepEqual(rc.eventsAfter(100 + total), []);
  assert.equal(rc.size, 50);
  // Deleting an unknown key is no event at all.
  assert.equal(
    rc.apply({
      type: 'delete',
      revision: 100 + total + 1,
      kv: { key: podKey('ns', 'nope'), value: pod('ns', 'nope'), createRevision: 1, modRevision: 100 + total + 1 },
    }),
    undefined,
  );
  // Nor is a key outside the layout.
  assert.equal(rc.apply({ type: 'put', revision: 100 + total + 2, kv: { key: '/elsewhere', value: '{}', createRevision: 1, modRevision: 1 } }), undefined);
});

test('a throwing listener does not stop delivery to the others', () => {
  const rc = new ResourceCache(pods, 0);
  const got: number[] = [];
  const warnings: string[] = [];
  const emitWarning = mock.method(process, 'emitWarning', (w: string | Error) => {
    warnings.push(String(w));
  });
  try {
    rc.subscribe(() => {
      throw new Error('socket closed');
    });
    rc.subscribe((events) => got.push(...events.map((e) => e.revision)));
    const ev = rc.apply({ type: 'put', revision: 7, kv: { key: podKey('ns', 'a'), value: pod('ns', 'a'), createRevision: 7, modRevision: 7 } });
    assert.ok(ev);
    rc.publish([ev]);
  } finally {
    emitWarning.mock.restore();
  }
  assert.deepEqual(got, [7]);
  assert.match(warnings.join('\n'), /watch listener failed: Error: socket closed/);
});

test('waitForRevision resolves when the revision is applied and rejects after its timeout', async () => {
  await withCache(async (backend, cache) => {
    const target = cache.revision + 2;
    let resolved = false;
    const waiting = cache.waitForRevision(target, 2000).then(() => (resolved = true));
    await backend.create(podKey('ns', 'a'), pod('ns', 'a'));
    await cache.waitUntilFresh(2000);
    assert.equal(resolved, false);
    await backend.create(podKey('ns', 'b'), pod('ns', 'b'));
    await waiting;
    assert.equal(cache.revision, target);
    await cache.waitForRevision(1, 0);
    await assert.rejects(cache.waitForRevision(target + 5, 20), { message: `watch cache did not reach revision ${target + 5} in 20 ms (at ${target})` });
    // waitUntilFresh answers the store's revision once the cache holds it.
    await backend.create(podKey('ns', 'c'), pod('ns', 'c'));
    assert.equal(await cache.waitUntilFresh(2000), target + 1);
    assert.ok(cache.resource(pods).get(podKey('ns', 'c')));
  });
});

test('the cached form keeps JSON text with resourceVersion, labels, selectable fields and deletion state', () => {
  const rc = new ResourceCache(pods, 0);
  const value = JSON.stringify({
    metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' }, deletionTimestamp: '2026-01-01T00:00:00Z' },
    spec: { nodeName: 'node-b', restartPolicy: 'Always' },
    status: { phase: 'Pending' },
  });
  const obj = rc.decode({ key: podKey('prod', 'web'), value, createRevision: 3, modRevision: 9 });
  assert.ok(obj);
  assert.equal(obj.name, 'web');
  assert.equal(obj.namespace, 'prod');
  assert.equal(obj.revision, 9);
  assert.equal((JSON.parse(obj.json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion, '9');
  assert.deepEqual(obj.labels(), { app: 'web' });
  assert.equal(obj.fields['spec.nodeName'], 'node-b');
  assert.equal(obj.fields['status.phase'], 'Pending');
  assert.equal(obj.fields['metadata.name'], 'web');
  assert.equal(obj.fields['metadata.namespace'], 'prod');
  assert.equal(obj.deleting, true);
  // toObject is a fresh copy each time: changing one does not change the cache.
  const copy = obj.toObject();
  (copy.metadata as Record<string, unknown>).name = 'changed';
  assert.equal((obj.toObject().metadata as Record<string, unknown>).name, 'web');

  const plain = rc.decode({
    key: podKey('prod', 'plain'),
    value: JSON.stringify({ metadata: { name: 'plain', namespace: 'prod', labels: {}, deletionTimestamp: null } }),
    createRevision: 4,
    modRevision: 4,
  });
  assert.equal(plain?.deleting, false);
  assert.deepEqual(plain?.labels(), {});
});

/** Applies a put of pod ns/<name> at `rev` and returns its event. */
function putPod(rc: ResourceCache, rev: number, name: string): CacheEvent {
  const ev = rc.apply({ type: 'put', revision: rev, kv: { key: podKey('ns', name), value: pod('ns', name), createRevision: rev, modRevision: rev } });
  assert.ok(ev);
  return ev;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('every listener gets the same WatchLines per event: a line is built once per form and shared', () => {
  const rc = new ResourceCache(pods, 0);
  let builds = 0;
  const written: Buffer[] = [];
  for (let i = 0; i < 3; i++) {
    rc.subscribe((events) => {
      for (const e of events) {
        written.push(e.lines!.get(`${e.type};json`, () => (builds++, Buffer.from(`{"type":"${e.type}"}\n`))));
        // Another form of the same event is built on its own.
        e.lines!.get(`${e.type};yaml`, () => (builds++, Buffer.from('---\n')));
      }
    });
  }
  rc.publish([putPod(rc, 1, 'a')]);
  assert.equal(builds, 2);
  assert.equal(written.length, 3);
  assert.ok(
    written.every((b) => b === written[0]),
    'the very same Buffer for every listener',
  );
  // The window keeps the bare event: a replay encodes for itself and nothing stays memoised.
  assert.equal(rc.eventsAfter(0)?.[0]?.lines, undefined);
});

test('dispatch gives the event loop back after a few milliseconds and keeps each listener in order', async () => {
  const rc = new ResourceCache(pods, 0);
  const got: number[][] = [];
  for (let i = 0; i < 6; i++) {
    const mine: number[] = [];
    got.push(mine);
    rc.subscribe((events) => {
      const until = performance.now() + 2;
      while (performance.now() < until);
      mine.push(...events.map((e) => e.revision));
    });
  }
  rc.publish([putPod(rc, 1, 'a')]);
  const servedAtOnce = got.filter((g) => g.length > 0).length;
  assert.ok(servedAtOnce < 6, `dispatch yields: ${servedAtOnce} of 6 listeners served in the publishing turn`);
  // Published while the first dispatch is under way: queued behind it, and the two that follow join one batch.
  rc.publish([putPod(rc, 2, 'b')]);
  rc.publish([putPod(rc, 3, 'c')]);
  const calls: number[] = [];
  const counting = rc.subscribe((events) => calls.push(events.length));
  rc.publish([putPod(rc, 4, 'd')]);
  // The listener subscribed last is served last, possibly a turn after the others.
  for (let i = 0; i < 50 && (got.some((g) => g.length < 4) || calls.length === 0); i++) await turn();
  for (const g of got) assert.deepEqual(g, [1, 2, 3, 4]);
  // Subscribed after revisions 2 and 3 were published: it gets only revision 4.
  assert.deepEqual(calls, [1]);
  counting();
});

test('events published while a dispatch waits go out together; a listener that unsubscribes mid-dispatch gets nothing more', async () => {
  const rc = new ResourceCache(pods, 0);
  const batches: number[][] = [];
  let unsubscribeLate = (): void => undefined;
  rc.subscribe(() => {
    const until = performance.now() + 6;
    while (performance.now() < until);
    // Gone before the dispatch reaches it.
    unsubscribeLate();
  });
  const late: number[] = [];
  unsubscribeLate = rc.subscribe((events) => late.push(...events.map((e) => e.revision)));
  rc.subscribe((events) => batches.push(events.map((e) => e.revision)));
  rc.publish([putPod(rc, 1, 'a')]);
  rc.publish([putPod(rc, 2, 'b')]);
  rc.publish([putPod(rc, 3, 'c')]);
  for (let i = 0; i < 50 && batches.flat().length < 3; i++) await turn();
  assert.deepEqual(batches, [[1], [2, 3]]);
  assert.deepEqual(late, []);
  assert.equal(rc.watcherCount, 2);
});
