// Unit tests of the generic REST store, built by ApiServer over the in-memory backend as the server
// builds it: create, GuaranteedUpdate, graceful and finalizer-held deletion, preconditions, and
// LIST's limit/continue/resourceVersion semantics with kube-apiserver's error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, findResource } from '../../api/index.js';
import { createMemoryBackend, type StorageBackend } from '../../storage/index.js';
import { ApiServer } from '../apiserver.js';
import type { RequestContext } from './context.js';
import type { ResourceStore } from './resource-store.js';

const ctx = (): RequestContext => ({
  user: { name: 'admin', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'test',
  apiVersion: 'v1',
  warnings: [],
});

interface Env {
  backend: StorageBackend;
  server: ApiServer;
  store: (group: string, version: string, resource: string) => ResourceStore;
}

async function withServer(fn: (env: Env) => Promise<void>): Promise<void> {
  const backend = createMemoryBackend();
  let server: ApiServer | undefined;
  try {
    server = await ApiServer.start({
      backend,
      serviceCidr: '10.96.0.0/24',
      nodePortRange: { min: 30000, max: 30010 },
      advertiseAddress: '127.0.0.1',
      securePort: 6443,
    });
    const s = server;
    await fn({
      backend,
      server: s,
      store: (group, version, resource) => {
        const info = findResource(group, version, resource);
        assert.ok(info, `${resource} is known`);
        return s.store(info);
      },
    });
  } finally {
    server?.close();
    await backend.close();
  }
}

/** Objects reach the store defaulted, as the handlers decode them. */
const defaulted = (store: ResourceStore, obj: Record<string, unknown>) => store.strategy.default(obj);

const meta = (o: Record<string, unknown>) => o.metadata as Record<string, unknown>;

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

const configMap = (name: string, data: Record<string, string> = {}, extraMeta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extraMeta },
  data,
});

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

test('create sets name from generateName, uid, creationTimestamp, namespace and generation', async () => {
  await withServer(async ({ store }) => {
    const deployments = store('apps', 'v1', 'deployments');
    const input = deployment('');
    delete (input.metadata as { name?: string }).name;
    (input.metadata as Record<string, unknown>).generateName = 'web-';
    (input.metadata as Record<string, unknown>).namespace = 'other';
    (input.metadata as Record<string, unknown>).generation = 7;
    const created = await deployments.create(ctx(), 'default', defaulted(deployments, input));
    const m = meta(created);
    assert.match(String(m.name), /^web-[a-z0-9]{5}$/);
    assert.equal(m.namespace, 'default');
    assert.match(String(m.uid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(String(m.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(m.generation, 1);
    assert.match(String(m.resourceVersion), /^\d+$/);
    const read = await deployments.get('default', String(m.name));
    assert.deepEqual(read, created);

    // Cluster-scoped objects carry no namespace whatever the body said.
    const pcs = store('scheduling.k8s.io', 'v1', 'priorityclasses');
    const pc = await pcs.create(ctx(), 'ignored', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'high', namespace: 'x' },
      value: 1000,
    });
    assert.equal(meta(pc).namespace, undefined);
  });
});

test('create refuses a resourceVersion, an existing name and a missing or terminating namespace', async () => {
  await withServer(async ({ store }) => {
    const cms = store('', 'v1', 'configmaps');
    let err = await apiError(cms.create(ctx(), 'default', configMap('a', {}, { resourceVersion: '5' })));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'resourceVersion should not be set on objects to be created');
    await cms.create(ctx(), 'default', configMap('a'));
    err = await apiError(cms.create(ctx(), 'default', configMap('a')));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'AlreadyExists');
    assert.equal(err.message, 'configmaps "a" already exists');
    err = await apiError(cms.create(ctx(), 'nowhere', configMap('a')));
    assert.equal(err.code, 404);
    assert.equal(err.message, 'namespaces "nowhere" not found');

    const namespaces = store('', 'v1', 'namespaces');
    await namespaces.create(ctx(), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' } });
    const del = await namespaces.delete(ctx(), '', 'going', {});
    assert.equal(del.deleted, false, 'a namespace with spec.finalizers stays while it is emptied');
    assert.equal((del.object.status as Record<string, unknown>).phase, 'Terminating');
    err = await apiError(cms.create(ctx(), 'going', configMap('b')));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'configmaps "b" is forbidden: unable to create new content in namespace going because it is being terminated');
  });
});

test('update with a stale resourceVersion is a Conflict; without one it applies to the latest', async () => {
  await withServer(async ({ store }) => {
    const cms = store('', 'v1', 'configmaps');
    const created = await cms.create(ctx(), 'default', configMap('a', { k: '1' }));
    const rv = String(meta(created).resourceVersion);
    const first = await cms.update(ctx(), 'default', 'a', (cur) => ({ ...cur!, data: { k: '2' } }));
    assert.notEqual(meta(first.object).resourceVersion, rv);
    const err = await apiError(cms.update(ctx(), 'default', 'a', (cur) => ({ ...cur!, metadata: { ...meta(cur!), resourceVersion: rv }, data: { k: '3' } })));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(
      err.message,
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    const second = await cms.update(ctx(), 'default', 'a', (cur) => {
      const next = { ...cur!, data: { k: '4' } };
      delete meta(next).resourceVersion;
      return next;
    });
    assert.deepEqual(second.object.data, { k: '4' });
    // An unchanged object is not written again.
    const same = await cms.update(ctx(), 'default', 'a', (cur) => cur!);
    assert.equal(meta(same.object).resourceVersion, meta(second.object).resourceVersion);
    // A uid that is not the object's is a precondition failure.
    const uidErr = await apiError(cms.update(ctx(), 'default', 'a', (cur) => ({ ...cur!, metadata: { ...meta(cur!), uid: 'other' } })));
    assert.equal(uidErr.code, 409);
    assert.equal(
      uidErr.message,
      `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ${String(meta(created).uid)}`,
    );
    const missing = await apiError(cms.update(ctx(), 'default', 'nope', (cur) => cur!));
    assert.equal(missing.message, 'configmaps "nope" not found');
    const made = await cms.update(ctx(), 'default', 'made', () => configMap('made'), { allowCreate: true });
    assert.equal(made.created, true);
  });
});

test('GuaranteedUpdate retries on a concurrent write and keeps both changes', async () => {
  await withServer(async ({ store, backend }) => {
    const cms = store('', 'v1', 'configmaps');
    await cms.create(ctx(), 'default', configMap('a', { base: '1' }));
    let calls = 0;
    const result = await cms.update(ctx(), 'default', 'a', async (cur) => {
      calls++;
      if (calls === 1) {
        // Another writer gets in between this read and the write.
        const kv = await backend.get('/registry/core/configmaps/default/a');
        const obj = JSON.parse(kv!.value) as Record<string, unknown>;
        obj.data = { ...(obj.data as object), other: 'x' };
        await backend.update(kv!.key, JSON.stringify(obj), kv!.modRevision);
      }
      const next = { ...cur!, data: { ...(cur!.data as object), mine: 'y' } };
      delete meta(next).resourceVersion;
      return next;
    });
    assert.equal(calls, 2);
    assert.deepEqual(result.object.data, { base: '1', other: 'x', mine: 'y' });
  });
});

test('status updates ignore spec changes and spec updates ignore status; generation follows the spec', async () => {
  await withServer(async ({ store }) => {
    const deployments = store('apps', 'v1', 'deployments');
    await deployments.create(ctx(), 'default', defaulted(deployments, deployment('web', 1)));
    const status = await deployments.update(
      ctx(),
      'default',
      'web',
      (cur) => ({ ...cur!, spec: { ...(cur!.spec as object), replicas: 5 }, status: { observedGeneration: 1, replicas: 1 } }),
      { subresource: 'status' },
    );
    assert.equal((status.object.spec as { replicas: number }).replicas, 1);
    assert.equal((status.object.status as { replicas: number }).replicas, 1);
    assert.equal(meta(status.object).generation, 1);
    const spec = await deployments.update(ctx(), 'default', 'web', (cur) => ({
      ...cur!,
      spec: { ...(cur!.spec as object), replicas: 3 },
      status: { replicas: 9 },
    }));
    assert.equal((spec.object.spec as { replicas: number }).replicas, 3);
    assert.equal((spec.object.status as { replicas: number }).replicas, 1);
    assert.equal(meta(spec.object).generation, 2);
  });
});

test('delete of a scheduled pod is graceful; a second delete with grace 0 removes it', async () => {
  await withServer(async ({ store }) => {
    const pods = store('', 'v1', 'pods');
    await pods.create(
      ctx(),
      'default',
      defaulted(pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { nodeName: 'node-a', terminationGracePeriodSeconds: 20, containers: [{ name: 'c', image: 'nginx' }] },
      }),
    );
    const before = Date.now();
    const first = await pods.delete(ctx(), 'default', 'p', {});
    assert.equal(first.deleted, false);
    const m = meta(first.object);
    assert.equal(m.deletionGracePeriodSeconds, 20);
    const deadline = Date.parse(String(m.deletionTimestamp));
    assert.ok(
      deadline >= Math.floor(before / 1000) * 1000 + 19_000 && deadline <= Date.now() + 21_000,
      `deletionTimestamp ${String(m.deletionTimestamp)} is ~20 s ahead`,
    );
    // Deleting again with the same grace changes nothing.
    const again = await pods.delete(ctx(), 'default', 'p', {});
    assert.equal(meta(again.object).resourceVersion, m.resourceVersion);
    const now = await pods.delete(ctx(), 'default', 'p', { gracePeriodSeconds: 0 });
    assert.equal(now.deleted, true);
    assert.equal((await apiError(pods.get('default', 'p'))).code, 404);
    assert.equal(pods.returnsDeletedObject, true);
  });
});

test('finalizers hold a deleted object until the last one is removed; propagation policies add theirs', async () => {
  await withServer(async ({ store }) => {
    const cms = store('', 'v1', 'configmaps');
    await cms.create(ctx(), 'default', configMap('held', {}, { finalizers: ['example.com/hold'] }));
    const held = await cms.delete(ctx(), 'default', 'held', {});
    assert.equal(held.deleted, false);
    assert.ok(meta(held.object).deletionTimestamp);
    assert.equal(meta(held.object).deletionGracePeriodSeconds, 0);
    assert.deepEqual(meta(held.object).finalizers, ['example.com/hold']);
    // Clients cannot clear deletionTimestamp by an update.
    const kept = await cms.update(ctx(), 'default', 'held', (cur) => {
      const next = structuredClone(cur!);
      delete meta(next).deletionTimestamp;
      next.data = { x: '1' };
      return next;
    });
    assert.equal(meta(kept.object).deletionTimestamp, meta(held.object).deletionTimestamp);
    const gone = await cms.update(ctx(), 'default', 'held', (cur) => ({ ...cur!, metadata: { ...meta(cur!), finalizers: [] } }));
    assert.equal(gone.created, false);
    assert.equal((await apiError(cms.get('default', 'held'))).code, 404);

    await cms.create(ctx(), 'default', configMap('orphaned'));
    const orphan = await cms.delete(ctx(), 'default', 'orphaned', { propagationPolicy: 'Orphan' });
    assert.equal(orphan.deleted, false);
    assert.deepEqual(meta(orphan.object).finalizers, ['orphan']);
    const foreground = await cms.delete(ctx(), 'default', 'orphaned', { propagationPolicy: 'Foreground' });
    assert.deepEqual(meta(foreground.object).finalizers, ['foregroundDeletion']);
    await cms.create(ctx(), 'default', configMap('legacy'));
    const legacy = await cms.delete(ctx(), 'default', 'legacy', { orphanDependents: true });
    assert.deepEqual(meta(legacy.object).finalizers, ['orphan']);
    await cms.create(ctx(), 'default', configMap('plain'));
    assert.equal((await cms.delete(ctx(), 'default', 'plain', { propagationPolicy: 'Background' })).deleted, true);
    assert.equal(cms.returnsDeletedObject, false);
  });
});

test('delete preconditions on uid and resourceVersion fail with kube-apiserver messages', async () => {
  await withServer(async ({ store }) => {
    const cms = store('', 'v1', 'configmaps');
    const created = await cms.create(ctx(), 'default', configMap('a'));
    const { uid, resourceVersion } = meta(created) as { uid: string; resourceVersion: string };
    let err = await apiError(cms.delete(ctx(), 'default', 'a', { preconditions: { uid: 'wrong' } }));
    assert.equal(err.code, 409);
    assert.equal(err.message, `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: wrong, UID in object meta: ${uid}`);
    err = await apiError(cms.delete(ctx(), 'default', 'a', { preconditions: { resourceVersion: '1' } }));
    assert.equal(
      err.message,
      `Operation cannot be fulfilled on configmaps "a": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${resourceVersion}`,
    );
    const ok = await cms.delete(ctx(), 'default', 'a', { preconditions: { uid, resourceVersion } });
    assert.equal(ok.deleted, true);
    assert.equal((await apiError(cms.delete(ctx(), 'default', 'a', {}))).message, 'configmaps "a" not found');
  });
});

test('list pages with limit and continue at one revision, and reads past revisions exactly', async () => {
  await withServer(async ({ store, backend }) => {
    const cms = store('', 'v1', 'configmaps');
    for (const name of ['e', 'b', 'd', 'a', 'c']) await cms.create(ctx(), 'default', configMap(name, {}, { labels: { n: name } }));
    const names = (items: readonly { name: string }[]) => items.map((o) => o.name);
    const page1 = await cms.list('default', { limit: 2 });
    assert.deepEqual(names(page1.items), ['a', 'b']);
    assert.equal(page1.remainingItemCount, 3);
    assert.ok(page1.continueToken);
    // A write between pages does not show up: every page is read at the first page's revision.
    await cms.create(ctx(), 'default', configMap('bb'));
    const page2 = await cms.list('default', { limit: 2, continueToken: page1.continueToken });
    assert.deepEqual(names(page2.items), ['c', 'd']);
    assert.equal(page2.resourceVersion, page1.resourceVersion);
    const page3 = await cms.list('default', { limit: 2, continueToken: page2.continueToken });
    assert.deepEqual(names(page3.items), ['e']);
    assert.equal(page3.continueToken, undefined);
    assert.equal(page3.remainingItemCount, undefined);

    // Without a limit the cache answers, in key order, with the newest revision.
    const all = await cms.list('default', {});
    assert.deepEqual(names(all.items), ['a', 'b', 'bb', 'c', 'd', 'e']);
    assert.equal(all.resourceVersion, String(await backend.currentRevision()));
    // Exact reads the state at that revision.
    const exact = await cms.list('default', { resourceVersion: page1.resourceVersion, resourceVersionMatch: 'Exact' });
    assert.deepEqual(names(exact.items), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(exact.resourceVersion, page1.resourceVersion);
    const notOlder = await cms.list('default', { resourceVersion: page1.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
    assert.equal(notOlder.items.length, 6);
    const any = await cms.list('default', { resourceVersion: '0' });
    assert.equal(any.items.length, 6);
    assert.equal(names((await cms.list('other', {})).items).length, 0);

    // A continue token older than the compacted revision has expired.
    const stale = await cms.list('default', { limit: 1 });
    await cms.create(ctx(), 'default', configMap('f'));
    await backend.compact(await backend.currentRevision());
    const expired = await apiError(cms.list('default', { limit: 1, continueToken: stale.continueToken }));
    assert.equal(expired.code, 410);
    assert.equal(expired.reason, 'Expired');
    assert.match(expired.message, /^The provided continue parameter is too old to display a consistent list result\./);
  });
});

test('list rejects bad resourceVersionMatch combinations and continue tokens as kube-apiserver does', async () => {
  await withServer(async ({ store }) => {
    const cms = store('', 'v1', 'configmaps');
    const forbidden = async (opts: Parameters<ResourceStore['list']>[1], detail: string) => {
      const err = await apiError(cms.list('default', opts));
      assert.equal(err.code, 422);
      assert.equal(err.reason, 'Invalid');
      assert.equal(err.message, `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: ${detail}`);
    };
    await forbidden({ resourceVersionMatch: 'Exact' }, 'resourceVersionMatch is forbidden unless resourceVersion is provided');
    await forbidden(
      { resourceVersionMatch: 'NotOlderThan', resourceVersion: '1', continueToken: 'x' },
      'resourceVersionMatch is forbidden when continue is provided',
    );
    await forbidden({ resourceVersionMatch: 'Exact', resourceVersion: '0' }, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    const unsupported = await apiError(cms.list('default', { resourceVersionMatch: 'Newest', resourceVersion: '1' }));
    assert.equal(unsupported.code, 422);
    assert.equal(
      unsupported.message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    );
    const both = await apiError(cms.list('default', { resourceVersionMatch: 'Newest' }));
    assert.equal(
      both.message,
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""]',
    );
    const badToken = await apiError(cms.list('default', { limit: 1, continueToken: 'not-a-token' }));
    assert.equal(badToken.code, 400);
    assert.match(badToken.message, /^invalid continue token: continue key is not valid: /);
    const badRv = await apiError(cms.list('default', { resourceVersion: 'abc' }));
    assert.equal(badRv.code, 400);
  });
});

/** A token as kube encodes one: unpadded base64url JSON. */
const token = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

test('forged or broken continue tokens get kube’s 400, a negative revision reads the latest, never a 500', async () => {
  await withServer(async ({ store, backend }) => {
    const cms = store('', 'v1', 'configmaps');
    for (const name of ['a', 'b', 'c']) await cms.create(ctx(), 'default', configMap(name));
    const page1 = await cms.list('default', { limit: 1 });
    const issued = JSON.parse(Buffer.from(page1.continueToken!, 'base64url').toString()) as { rv: number; start: string };
    const refused = async (continueToken: string, detail: RegExp | string) => {
      const err = await apiError(cms.list('default', { limit: 1, continueToken }));
      assert.equal(err.code, 400, `${continueToken}: ${err.message}`);
      assert.equal(err.reason, 'BadRequest');
      const prefix = 'invalid continue token: continue key is not valid';
      if (typeof detail === 'string') assert.equal(err.message, detail ? `${prefix}: ${detail}` : prefix);
      else assert.match(err.message.slice(prefix.length), detail);
    };
    const v = 'meta.k8s.io/v1';
    await refused('abc$def', 'illegal base64 data at input byte 3');
    await refused('abcde', 'illegal base64 data at input byte 4');
    await refused(token('{"v":'), /^: /);
    await refused(token('[1]'), /cannot unmarshal/);
    await refused(token({ v: 'meta.k8s.io/v2', rv: 1, start: 'x' }), 'server does not recognize this encoded version meta.k8s.io/v2');
    await refused(token({ v, rv: 0, start: issued.start }), 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    await refused(token({ v, start: issued.start }), 'incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    await refused(token({ v, rv: issued.rv, start: '' }), 'encoded start key empty (version meta.k8s.io/v1)');
    // Revisions that are no int64 or that no list was ever read at.
    await refused(
      token(`{"v":"${v}","rv":99999999999999999999,"start":"x"}`),
      /^: json: cannot unmarshal number 100000000000000000000 into Go struct field continueToken.rv of type int64$/,
    );
    await refused(token(`{"v":"${v}","rv":1e400,"start":"x"}`), /cannot unmarshal number Infinity/);
    await refused(token({ v, rv: 1.5, start: issued.start }), /cannot unmarshal number 1.5/);
    await refused(token({ v, rv: '5', start: issued.start }), /cannot unmarshal string/);
    await refused(token({ v, rv: 2 ** 53 - 1, start: issued.start }), /^: revision 9007199254740991 is newer than the current \d+$/);
    // Start keys that climb out of the listed prefix, or are not clean paths.
    for (const start of [
      '/registry/core/configmaps/default/../../secrets/default/x',
      '/registry/core/configmaps/default/./a',
      '/registry/core/configmaps/default//a',
      '/registry/core/secrets/default/a',
      'a',
      '/registry/core/configmaps/default/',
    ]) {
      await refused(token({ v, rv: issued.rv, start }), JSON.stringify(start));
    }
    // A negative revision continues at the latest revision, as kube's does.
    const latest = await cms.list('default', { limit: 1, continueToken: token({ v, rv: -1, start: issued.start }) });
    assert.deepEqual(
      latest.items.map((o) => o.name),
      ['b'],
    );
    assert.equal(latest.resourceVersion, String(await backend.currentRevision()));
    const withRv = await apiError(cms.list('default', { limit: 1, continueToken: page1.continueToken!, resourceVersion: '5' }));
    assert.equal(withRv.message, 'specifying resource version is not allowed when using continue');
  });
});

test('every name and namespace that reaches the store is a path segment', async () => {
  await withServer(async ({ store }) => {
    const cms = store('', 'v1', 'configmaps');
    const nodes = store('', 'v1', 'nodes');
    await cms.create(ctx(), 'default', configMap('keep'));
    for (const bad of ['.', '..', 'a/b', 'a%b']) {
      for (const attempt of [
        cms.get('default', bad),
        cms.get(bad, 'keep'),
        cms.list(bad, {}),
        cms.delete(ctx(), 'default', bad, {}),
        cms.delete(ctx(), bad, 'keep', {}),
        cms.update(ctx(), 'default', bad, () => configMap(bad)),
        nodes.get('', bad),
      ]) {
        const err = await apiError(attempt);
        assert.equal(err.code, 400, err.message);
        assert.match(err.message, /^(Name|Namespace) parameter invalid: /);
      }
    }
    assert.deepEqual(
      (await cms.list('default', {})).items.map((o) => o.name),
      ['keep'],
    );
  });
});

test('a grace period longer than a Time can say ends the deadline at year 9999, not in a 500', async () => {
  await withServer(async ({ store }) => {
    const pods = store('', 'v1', 'pods');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx' }] } };
    await pods.create(ctx(), 'default', defaulted(pods, pod));
    const deleted = await pods.delete(ctx(), 'default', 'p', { gracePeriodSeconds: Number.MAX_SAFE_INTEGER });
    const m = meta(deleted.object);
    assert.match(String(m.deletionTimestamp), /^9999-12-31T23:59:5[89]Z$/);
    assert.ok(Number.isSafeInteger(m.deletionGracePeriodSeconds), String(m.deletionGracePeriodSeconds));
  });
});

test('a list at a revision storage has not reached waits for it, then is kube’s 504, not a 500', async () => {
  await withServer(async ({ store, backend }) => {
    const cms = store('', 'v1', 'configmaps');
    const future = String((await backend.currentRevision()) + 1000);
    for (const opts of [
      { resourceVersion: future, resourceVersionMatch: 'Exact' },
      { resourceVersion: future, limit: 1 },
    ]) {
      const err = await apiError(cms.list('default', opts));
      assert.equal(err.code, 504, err.message);
      assert.equal(err.reason, 'Timeout');
      assert.match(err.message, /^Too large resource version: /);
    }
  });
});
