// Two `skiff server` processes on one etcd (--datastore-endpoint) serve one cluster: what kubectl
// creates through one server is read, listed and watched through the other, both start at once
// without tripping over the bootstrap objects, and service addresses and node ports never collide.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl135, rawClient, runKubectl, startEtcd, startServer, type TestEtcd, type TestServer } from './support/index.js';

describe('two servers on one etcd', async () => {
  const client = await kubectl135();
  let etcd: TestEtcd | undefined;
  const servers: TestServer[] = [];
  let bin: string;
  const kubectl = (server: TestServer, args: string[]) => runKubectl(bin, server.kubeconfig, args);

  before(async () => {
    if (client.skip) return;
    bin = clientPath(client);
    etcd = await startEtcd();
    const args = ['--datastore-endpoint', etcd.endpoint];
    // Both at once: the bootstrap (namespaces, the kubernetes service and its address) races.
    const started = await Promise.allSettled([startServer({ extraArgs: args }), startServer({ extraArgs: args })]);
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await etcd?.stop();
  });

  test('both servers start and see one set of bootstrap objects', { skip: client.skip }, async () => {
    for (const server of servers) {
      const namespaces = await kubectl(server, ['get', 'namespaces', '-o', 'name']);
      assert.equal(namespaces.code, 0, namespaces.stderr);
      assert.deepEqual(namespaces.stdout.trim().split('\n').sort(), [
        'namespace/default',
        'namespace/kube-node-lease',
        'namespace/kube-public',
        'namespace/kube-system',
      ]);
      const service = await kubectl(server, ['get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']);
      assert.equal(service.stdout, '10.96.0.1');
    }
  });

  test('a create through A is read and listed through B, and a watch on B sees it', { skip: client.skip }, async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const raw = await rawClient(b.kubeconfig);
    const listed = await raw.call('GET', '/api/v1/namespaces/default/configmaps');
    const listRv = listed.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const watched = raw.watch(
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${listRv}`,
      (events) => events.some((event) => (event.object as { metadata?: { name?: string } }).metadata?.name === 'shared'),
      15_000,
    );
    const created = await kubectl(a, ['create', 'configmap', 'shared', '--from-literal=from=a']);
    assert.equal(created.code, 0, created.stderr);
    const events = await watched;
    const added = events.find((event) => (event.object as { metadata?: { name?: string } }).metadata?.name === 'shared');
    assert.equal(added?.type, 'ADDED');

    const got = await kubectl(b, ['get', 'configmap', 'shared', '-o', 'jsonpath={.data.from}']);
    assert.equal(got.stdout, 'a', got.stderr);
    const list = await kubectl(b, ['get', 'configmaps', '-o', 'name']);
    assert.match(list.stdout, /^configmap\/shared$/m);
    // An update through B is seen by A at the revision B reports.
    assert.equal((await kubectl(b, ['label', 'configmap', 'shared', 'via=b'])).code, 0);
    const rv = (await kubectl(b, ['get', 'configmap', 'shared', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
    const seen = await kubectl(a, ['get', 'configmap', 'shared', '-o', 'jsonpath={.metadata.labels.via} {.metadata.resourceVersion}']);
    assert.equal(seen.stdout, `b ${rv}`);
  });

  test('services created through both servers at once get distinct addresses and node ports', { skip: client.skip }, async () => {
    const names = Array.from({ length: 6 }, (_, i) => `np-${i}`);
    const results = await Promise.all(names.map((name, i) => kubectl(servers[i % 2]!, ['create', 'service', 'nodeport', name, '--tcp=80:8080'])));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const out = await kubectl(servers[0]!, [
      'get',
      'services',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.clusterIP} {.spec.ports[0].nodePort}{"\\n"}{end}',
    ]);
    const rows = out.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    assert.equal(rows.length, names.length + 1);
    const ips = rows.map((row) => row[1]);
    const ports = rows.filter((row) => row[0] !== 'kubernetes').map((row) => row[2]);
    assert.equal(new Set(ips).size, ips.length, `duplicate ClusterIPs: ${out.stdout}`);
    assert.equal(new Set(ports).size, ports.length, `duplicate node ports: ${out.stdout}`);
  });
});
