import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, findResource } from '../../api/index.js';
import type { RequestContext } from '../registry/context.js';
import type { ObjectMap } from '../watch-cache.js';
import { ResourceQuotaAdmission, type QuotaAccess } from './resource-quota.js';

const pods = findResource('', 'v1', 'pods')!;
const configmaps = findResource('', 'v1', 'configmaps')!;
const services = findResource('', 'v1', 'services')!;
const ctx = (dryRun = false): RequestContext => ({ user: { name: 'u', groups: [] }, dryRun, fieldManager: 'm', apiVersion: 'v1', warnings: [] });

/** An in-memory quota store with resourceVersions, which conflicts like storage does. */
function fakeQuotas(quotas: ObjectMap[]) {
  let rv = 1;
  const byName = new Map<string, ObjectMap>(
    quotas.map((q) => [(q.metadata as { name: string }).name, { ...q, metadata: { ...(q.metadata as object), resourceVersion: String(rv++) } }]),
  );
  let writes = 0;
  let conflictNext = false;
  const access: QuotaAccess = {
    cached: () => [...byName.values()].map((q) => structuredClone(q)),
    get: async (_ns, name) => structuredClone(byName.get(name)),
    writeStatus: async (quota) => {
      const name = (quota.metadata as { name: string }).name;
      const current = byName.get(name)!;
      if (
        conflictNext ||
        (quota.metadata as { resourceVersion: string }).resourceVersion !== (current.metadata as { resourceVersion: string }).resourceVersion
      ) {
        conflictNext = false;
        // Someone else charged one pod meanwhile.
        const used = (current.status as { used: Record<string, string> }).used;
        if (used.pods) used.pods = String(Number(used.pods) + 1);
        (current.metadata as { resourceVersion: string }).resourceVersion = String(rv++);
        throw new ApiError(409, 'Conflict', 'conflict');
      }
      writes++;
      byName.set(name, { ...structuredClone(quota), metadata: { ...(quota.metadata as object), resourceVersion: String(rv++) } });
    },
  };
  return {
    access,
    used: (name: string) => (byName.get(name)!.status as { used: Record<string, string> }).used,
    get writes() {
      return writes;
    },
    conflictOnce() {
      conflictNext = true;
    },
  };
}

const quota = (name: string, hard: Record<string, string>, used: Record<string, string> | undefined, spec: object = {}): ObjectMap => ({
  metadata: { name, namespace: 'ns' },
  spec: { hard, ...spec },
  status: { hard, ...(used ? { used } : {}) },
});

const pod = (name: string, resources: object = {}, extra: object = {}): ObjectMap => ({
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
  spec: { containers: [{ name: 'web', image: 'nginx', resources }], ...extra },
  status: { phase: 'Pending' },
});

async function forbidden(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    return err.message;
  }
  assert.fail('admitted');
}

describe('ResourceQuota admission', () => {
  test('charges status.used and refuses past the hard limit with kube message', async () => {
    const store = fakeQuotas([quota('q', { pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' })]);
    const plugin = new ResourceQuotaAdmission(store.access);
    await plugin.create(ctx(), pod('a', { requests: { cpu: '500m' } }), pods);
    assert.deepEqual(store.used('q'), { pods: '1', 'requests.cpu': '500m' });
    assert.equal(
      await forbidden(plugin.create(ctx(), pod('b', { requests: { cpu: '600m' } }), pods)),
      'pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1',
    );
    const undo = await plugin.create(ctx(), pod('c', { requests: { cpu: '500m' } }), pods);
    assert.deepEqual(store.used('q'), { pods: '2', 'requests.cpu': '1' });
    assert.equal(
      await forbidden(plugin.create(ctx(), pod('d', { requests: { cpu: '0' } }), pods)),
      'pods "d" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    // The write the charge was for failed: the charge is returned.
    await undo!();
    assert.deepEqual(store.used('q'), { pods: '1', 'requests.cpu': '500m' });
  });

  test('a conflicting charge is retried against the fresh quota', async () => {
    const store = fakeQuotas([quota('q', { pods: '2' }, { pods: '0' })]);
    const plugin = new ResourceQuotaAdmission(store.access);
    store.conflictOnce();
    await plugin.create(ctx(), pod('a'), pods);
    assert.deepEqual(store.used('q'), { pods: '2' });
    await forbidden(plugin.create(ctx(), pod('b'), pods));
  });

  test('containers must state tracked cpu and memory; unknown status refuses', async () => {
    const plugin = new ResourceQuotaAdmission(
      fakeQuotas([quota('compute', { 'limits.cpu': '2', 'requests.memory': '1Gi' }, { 'limits.cpu': '0', 'requests.memory': '0' })]).access,
    );
    const p = pod('p');
    (p.spec as { containers: unknown[] }).containers.push({ name: 'side', resources: { limits: { cpu: '1' } } });
    assert.equal(
      await forbidden(plugin.create(ctx(), p, pods)),
      'pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: web; requests.memory for: side,web',
    );
    const fresh = new ResourceQuotaAdmission(fakeQuotas([quota('q', { pods: '2', 'count/configmaps': '1' }, undefined)]).access);
    assert.equal(await forbidden(fresh.create(ctx(), pod('p'), pods)), 'pods "p" is forbidden: status unknown for quota: q, resources: pods');
  });

  test('scopes select which pods a quota covers; object counts and dry runs', async () => {
    const store = fakeQuotas([
      quota('best-effort', { pods: '1' }, { pods: '0' }, { scopes: ['BestEffort'] }),
      quota('objects', { configmaps: '1', 'count/configmaps': '5' }, { configmaps: '0', 'count/configmaps': '0' }),
    ]);
    const plugin = new ResourceQuotaAdmission(store.access);
    await plugin.create(ctx(), pod('a', { requests: { cpu: '1' } }), pods);
    assert.deepEqual(store.used('best-effort'), { pods: '0' });
    await plugin.create(ctx(true), pod('b'), pods);
    assert.deepEqual(store.used('best-effort'), { pods: '0' });
    await plugin.create(ctx(), pod('c'), pods);
    assert.deepEqual(store.used('best-effort'), { pods: '1' });
    const cm = { kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns' } };
    await plugin.create(ctx(), cm, configmaps);
    assert.deepEqual(store.used('objects'), { configmaps: '1', 'count/configmaps': '1' });
    assert.equal(
      await forbidden(plugin.create(ctx(), { ...cm, metadata: { name: 'y', namespace: 'ns' } }, configmaps)),
      'configmaps "y" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    );
  });

  test('service updates are charged for what they add', async () => {
    const store = fakeQuotas([quota('svc', { 'services.nodeports': '1', services: '5' }, { 'services.nodeports': '0', services: '1' })]);
    const plugin = new ResourceQuotaAdmission(store.access);
    const old = {
      kind: 'Service',
      metadata: { name: 's', namespace: 'ns', resourceVersion: '3' },
      spec: { type: 'ClusterIP', ports: [{ port: 80 }, { port: 81 }] },
    };
    const next = structuredClone(old);
    next.spec.type = 'NodePort';
    assert.equal(
      await forbidden(plugin.update(ctx(), next, old, services)),
      'services "s" is forbidden: exceeded quota: svc, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1',
    );
  });
});
