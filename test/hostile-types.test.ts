// Bodies with values Go's types cannot hold, or that kube's validation refuses, sent through every
// verb and subresource: each is refused with 4xx and kube's words, and what is stored still lists
// in protobuf.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawClient, startServer, type RawClient, type RawResponse, type TestServer } from './support/index.js';

const json = { 'Content-Type': 'application/json' };
const protobuf = 'application/vnd.kubernetes.protobuf';

function deployment(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
  };
}

function pod(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

function message(r: RawResponse): string {
  return r.json<{ message: string }>().message;
}

describe('hostile and broken values', () => {
  let server: TestServer;
  let api: RawClient;
  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  const pods = '/api/v1/namespaces/default/pods';
  before(async () => {
    server = await startServer();
    api = await rawClient(server.kubeconfig);
  });
  after(async () => server?.stop());

  const post = (path: string, body: unknown) => api.call('POST', path, { body: JSON.stringify(body), headers: json });
  // Node sends a DELETE body unframed unless told its length.
  const del = (path: string, body: unknown) => {
    const text = JSON.stringify(body);
    return api.call('DELETE', path, { body: text, headers: { ...json, 'Content-Length': String(Buffer.byteLength(text)) } });
  };

  test('integers beyond Go’s int32 and int64 are refused on create, update, patch and apply', async () => {
    const surge = await post(deployments, deployment('surge', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 ** 31 } } }));
    assert.equal(surge.status, 400);
    assert.equal(message(surge), 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32');
    const fraction = await post(deployments, deployment('fraction', { replicas: 1.5 }));
    assert.equal(fraction.status, 400);
    assert.match(message(fraction), /cannot unmarshal number 1\.5 into Go struct field DeploymentSpec\.spec\.replicas of type int32/);

    const literal = await api.call('POST', deployments, { body: JSON.stringify(deployment('literal')).replace('"replicas":1', '"replicas":1.0'), headers: json });
    assert.equal(literal.status, 400);
    assert.match(message(literal), /cannot unmarshal number 1\.0 into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);

    assert.equal((await post(deployments, deployment('ok'))).status, 201);
    const current = (await api.call('GET', `${deployments}/ok`)).json<Record<string, unknown>>();
    const put = await api.call('PUT', `${deployments}/ok`, { body: JSON.stringify({ ...current, spec: { ...(current.spec as object), replicas: 2 ** 31 } }), headers: json });
    assert.equal(put.status, 400);
    const patch = await api.call('PATCH', `${deployments}/ok`, {
      body: JSON.stringify({ spec: { progressDeadlineSeconds: 1e30 } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    assert.equal(patch.status, 400);
    const apply = await api.call('PATCH', `${deployments}/ok?fieldManager=t&force=true`, {
      body: JSON.stringify(deployment('ok', { revisionHistoryLimit: 2 ** 40 })),
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    assert.equal(apply.status, 400);
    const grace = await post(pods, pod('grace', { terminationGracePeriodSeconds: 2 ** 63 }));
    assert.equal(grace.status, 400);
    assert.match(message(grace), /of type int64$/);
  });

  test('/scale takes int32 replicas only, by update and by patch', async () => {
    assert.equal((await post(deployments, deployment('scaled'))).status, 201);
    const scale = (await api.call('GET', `${deployments}/scaled/scale`)).json<Record<string, unknown>>();
    const put = await api.call('PUT', `${deployments}/scaled/scale`, { body: JSON.stringify({ ...scale, spec: { replicas: 1e11 } }), headers: json });
    assert.equal(put.status, 400);
    assert.equal(message(put), 'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number 100000000000 into Go struct field ScaleSpec.spec.replicas of type int32');
    const patch = await api.call('PATCH', `${deployments}/scaled/scale`, {
      body: JSON.stringify({ spec: { replicas: 1e11 } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    assert.equal(patch.status, 400);
    const negative = await api.call('PATCH', `${deployments}/scaled/scale`, {
      body: JSON.stringify({ spec: { replicas: -1 } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    assert.equal(negative.status, 422);
    const fine = await api.call('PATCH', `${deployments}/scaled/scale`, {
      body: JSON.stringify({ spec: { replicas: 3 } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    assert.equal(fine.status, 200);
  });

  test('nulls in lists and broken quantities are refused with kube’s messages, not a 500', async () => {
    const nullContainer = await post(pods, { ...pod('nullc', {}), spec: { containers: [null] } });
    assert.equal(nullContainer.status, 422);
    assert.match(message(nullContainer), /spec\.containers\[0\]\.name: Required value/);
    const nullToleration = await post(pods, pod('nullt', { tolerations: [null] }));
    assert.equal(nullToleration.status, 422);
    assert.match(message(nullToleration), /spec\.tolerations\[0\]\.operator: Invalid value: "": operator must be Exists when `key` is empty/);
    const nullEnv = await post(deployments, {
      ...deployment('nullenv'),
      spec: { ...(deployment('nullenv').spec as object), template: { metadata: { labels: { app: 'nullenv' } }, spec: { containers: [{ name: 'c', image: 'i', env: [null], command: [null] }] } } },
    });
    assert.equal(nullEnv.status, 422);
    assert.match(message(nullEnv), /spec\.template\.spec\.containers\[0\]\.env\[0\]\.name: Required value/);
    const badQuantity = await post(pods, pod('q', { volumes: [{ name: 'v', emptyDir: { sizeLimit: 'not-a-quantity' } }] }));
    assert.equal(badQuantity.status, 400);
    assert.equal(
      message(badQuantity),
      `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
    const negative = await post(pods, pod('neg', { volumes: [{ name: 'v', emptyDir: { sizeLimit: '-1' } }] }));
    assert.equal(negative.status, 422);
    assert.match(message(negative), /spec\.volumes\[0\]\.emptyDir\.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity/);
    const fieldPath = await post(pods, pod('fp', { containers: [{ name: 'c', image: 'i', env: [{ name: 'P', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] }] }));
    assert.equal(fieldPath.status, 422);
    const longLabel = await post(pods, { ...pod('label', {}), metadata: { name: 'label', labels: { app: 'x'.repeat(64) } } });
    assert.equal(longLabel.status, 422);
    assert.match(message(longLabel), /metadata\.labels: Invalid value: "x{64}": must be no more than 63 characters/);
  });

  test('server-side apply with null list items is refused, not a 500', async () => {
    const apply = (body: unknown) =>
      api.call('PATCH', `${pods}/applied?fieldManager=t`, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/apply-patch+yaml' } });
    for (const spec of [{ containers: [null] }, { containers: [{ name: 'c', image: 'i', env: [null] }] }, { containers: [{ name: 'c', image: 'i' }], tolerations: [null] }]) {
      const r = await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'applied' }, spec });
      assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(spec)}: ${r.status} ${r.text()}`);
    }
  });

  test('delete options and evictions are decoded as DeleteOptions', async () => {
    assert.equal((await post(pods, pod('victim', { nodeName: 'nowhere' }))).status, 201);
    const body = await del(`${pods}/victim`, { gracePeriodSeconds: 1e30 });
    assert.equal(body.status, 400);
    assert.match(message(body), /cannot unmarshal number 1e\+30 into Go struct field DeleteOptions\.gracePeriodSeconds of type int64/);
    const query = await api.call('DELETE', `${pods}/victim?gracePeriodSeconds=99999999999999999999`);
    assert.equal(query.status, 400);
    const eviction = await post(`${pods}/victim/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'victim' },
      deleteOptions: { gracePeriodSeconds: 1e30 },
    });
    assert.equal(eviction.status, 400);
    // A negative grace period is one second, by eviction as by delete.
    assert.equal((await post(pods, pod('evicted', { nodeName: 'nowhere' }))).status, 201);
    const negative = await post(`${pods}/evicted/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'evicted' },
      deleteOptions: { gracePeriodSeconds: -5 },
    });
    assert.equal(negative.status, 201, negative.text());
    const evicted = await api.call('GET', `${pods}/evicted`);
    if (evicted.status === 200) assert.equal(evicted.json<{ metadata: { deletionGracePeriodSeconds: number } }>().metadata.deletionGracePeriodSeconds, 1);
    const binding = await post(`${pods}/victim/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'victim' }, target: { name: 5 } });
    assert.equal(binding.status, 400);
    // The longest grace period Go can hold is taken; the deadline stops at the last time kube can write.
    const longest = await del(`${pods}/victim`, { gracePeriodSeconds: 9e18 });
    assert.equal(longest.status, 200);
    const meta = (await api.call('GET', `${pods}/victim`)).json<{ metadata: { deletionTimestamp: string } }>().metadata;
    assert.equal(meta.deletionTimestamp, '9999-12-31T23:59:59Z');
  });

  test('a watch asked to last longer than a Node timer holds stays open', async () => {
    const configmaps = '/api/v1/namespaces/default/configmaps';
    const events = await api.watch(
      `${configmaps}?watch=true&timeoutSeconds=3000000&fieldSelector=metadata.name%3Dlate`,
      (seen) => seen.length > 0,
      10_000,
      () => void setTimeout(() => void post(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }), 300),
    );
    assert.equal(events[0]?.type, 'ADDED');
  });

  test('everything stored still lists in protobuf', async () => {
    for (const path of [deployments, pods]) {
      const list = await api.call('GET', path, { headers: { Accept: protobuf } });
      assert.equal(list.status, 200, `${path}: ${list.text()}`);
      assert.equal(list.headers['content-type'], protobuf);
    }
  });
});
