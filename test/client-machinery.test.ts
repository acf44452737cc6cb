// The client machinery against a real `skiff server`: an informer follows what kubectl does,
// leader election hands a Lease over, and the event recorder aggregates repeats as kube does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiClient,
  EventRecorder,
  InformerFactory,
  LeaderElector,
  loadKubeconfig,
  runWithLeaderElection,
  sleep,
  type KubeObject,
} from '../src/client/index.js';
import { clientPath, kubectl135, runKubectl, startServer, type TestServer } from './support/index.js';

describe('client machinery', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  let client: ApiClient;
  const k = async (...args: string[]) => {
    const r = await runKubectl(clientPath(kubectl), server.kubeconfig, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const until = async (what: string, check: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
    client = new ApiClient(await loadKubeconfig(server.kubeconfig, 'client-machinery-test'));
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test('an informer sees what is there, then every add, update and delete, with its indexes', { skip: kubectl.skip }, async () => {
    await k('create', 'namespace', 'inf');
    await k('create', 'configmap', 'before', '-n', 'inf', '--from-literal=a=1');
    await k('label', 'configmap', 'before', '-n', 'inf', 'team=x');
    const stop = new AbortController();
    try {
      const factory = new InformerFactory(client);
      const cms = factory.informer<KubeObject & { data?: Record<string, string> }>({ group: '', version: 'v1', resource: 'configmaps' }, { namespace: 'inf' });
      assert.equal(factory.informer({ group: '', version: 'v1', resource: 'configmaps' }, { namespace: 'inf' }), cms, 'informers are shared');
      cms.addIndexer('team', (o) => (o.metadata.labels?.team ? [o.metadata.labels.team] : []));
      const seen: string[] = [];
      cms.addHandler({
        onAdd: (o) => seen.push(`add ${o.metadata.name}`),
        onUpdate: (_, o) => seen.push(`update ${o.metadata.name} ${JSON.stringify(o.data)}`),
        onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
      });
      factory.start(stop.signal);
      await factory.waitForSync(stop.signal);
      assert.ok(cms.hasSynced);
      assert.deepEqual(
        seen.filter((s) => s.startsWith('add before')),
        ['add before'],
      );
      assert.equal(cms.store.byIndex('team', 'x')[0]?.metadata.name, 'before');

      await k('create', 'configmap', 'after', '-n', 'inf', '--from-literal=b=2');
      await until('the add', () => seen.includes('add after'));
      await k('patch', 'configmap', 'after', '-n', 'inf', '--type=merge', '-p', '{"data":{"b":"3"}}');
      await until('the update', () => seen.includes('update after {"b":"3"}'));
      assert.equal(cms.store.get('inf/after')?.data?.b, '3');
      await k('delete', 'configmap', 'before', '-n', 'inf');
      await until('the delete', () => seen.includes('delete before'));
      assert.equal(cms.store.get('inf/before'), undefined);
      assert.deepEqual(cms.store.byIndex('team', 'x'), []);
      // kube-root-ca.crt may or may not exist; ours are the only others.
      assert.deepEqual(
        cms.store
          .listNamespace('inf')
          .map((o) => o.metadata.name)
          .filter((n) => n !== 'kube-root-ca.crt'),
        ['after'],
      );
    } finally {
      stop.abort();
    }
  });

  test(
    'leader election: one leader at a time; a released lease is taken over at once, an abandoned one after its duration',
    { skip: kubectl.skip },
    async () => {
      const timing = { leaseDurationSeconds: 2, renewDeadlineSeconds: 1.5, retryPeriodSeconds: 0.2 };
      const leaders: string[] = [];
      const stopA = new AbortController();
      const stopB = new AbortController();
      const campaign = (identity: string, stop: AbortController) =>
        runWithLeaderElection(
          client,
          { name: 'test-election', identity, ...timing },
          async (leading) => {
            leaders.push(identity);
            await new Promise<void>((r) => leading.addEventListener('abort', () => r(), { once: true }));
          },
          stop.signal,
        );
      const a = campaign('a', stopA);
      await until('a to lead', () => leaders.length === 1);
      const b = campaign('b', stopB);
      await sleep(1000, new AbortController().signal);
      assert.deepEqual(leaders, ['a'], 'b must not lead while a renews');
      assert.equal(await k('get', 'lease', 'test-election', '-n', 'kube-system', '-o', 'jsonpath={.spec.holderIdentity}'), 'a');
      const released = Date.now();
      stopA.abort();
      await a;
      await until('b to take over', () => leaders.length === 2, 3000);
      assert.ok(Date.now() - released < 1500, 'a released lease is taken without waiting for it to expire');
      assert.equal(await k('get', 'lease', 'test-election', '-n', 'kube-system', '-o', 'jsonpath={.spec.holderIdentity} {.spec.leaseTransitions}'), 'b 1');
      stopB.abort();
      await b;

      // A holder that vanished without releasing: another candidate waits one lease duration.
      await k('delete', 'lease', 'test-election', '-n', 'kube-system');
      const ghost = new LeaderElector(client, { name: 'test-election', identity: 'ghost', ...timing });
      assert.ok(await ghost.acquire(new AbortController().signal));
      const start = Date.now();
      const c = new LeaderElector(client, { name: 'test-election', identity: 'c', ...timing });
      assert.ok(await c.acquire(AbortSignal.timeout(10_000)));
      const waited = Date.now() - start;
      assert.ok(waited >= 1800 && waited < 6000, `took over after ${waited} ms`);
    },
  );

  test('the event recorder writes kube-style Events and counts repeats', { skip: kubectl.skip }, async () => {
    await k('create', 'namespace', 'ev');
    const cm = JSON.parse(await k('create', 'configmap', 'noisy', '-n', 'ev', '-o', 'json')) as KubeObject;
    const recorder = new EventRecorder(client, 'test-controller');
    recorder.event(cm, 'Warning', 'Trouble', 'something went wrong');
    recorder.event(cm, 'Warning', 'Trouble', 'something went wrong');
    recorder.event(cm, 'Normal', 'Fine', 'all good');
    await recorder.flush();
    await recorder.flush();
    const out = await k(
      'get',
      'events',
      '-n',
      'ev',
      '--sort-by=.reason',
      '-o',
      'jsonpath={range .items[*]}{.reason} {.count} {.type} {.source.component} {.involvedObject.kind}/{.involvedObject.name}{"\\n"}{end}',
    );
    assert.equal(out, 'Fine 1 Normal test-controller ConfigMap/noisy\nTrouble 2 Warning test-controller ConfigMap/noisy\n');
    const described = await k('describe', 'configmap', 'noisy', '-n', 'ev');
    assert.match(described, /Warning\s+Trouble\s+\S+ \(x2 over \S+\)\s+test-controller\s+something went wrong/);
  });
});
