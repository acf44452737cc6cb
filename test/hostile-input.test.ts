// The hostile-input suite: over ten thousand generated malformed, oversized, out-of-range and
// tricky requests against a real server, from every class an attacker or a broken client would
// try (URL tricks, decoding bombs, types looser than Go's, nulls, query-string and method edges,
// malformed patches, odd headers). Nothing may answer 5xx, crash the server, lose a sentinel
// object, store what kube-apiserver would refuse, or keep `kubectl get ns` waiting over a second.
// SKIFF_HOSTILE_SEED replays a run; SKIFF_HOSTILE_SCALE multiplies the number of cases.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostileNamespace, generateCases, sentinelNames, targetNames } from './hostile/cases.js';
import { kubeWouldRefuse } from './hostile/oracle.js';
import { createCertificateAuthority, signCertificate } from '../src/pki/index.js';
import { Random } from './hostile/random.js';
import { hostileClient, runCases } from './hostile/runner.js';
import { slowClient, slowKinds, type SlowKind } from './hostile/slow-clients.js';
import { kinds, validObject, type Kind } from './hostile/templates.js';
import { kubectl135, kubectlSession, rawClient, startServer, tlsCredentials, type RawClient, type TestServer, type TlsCredentials } from './support/index.js';

const kubectl = await kubectl135();
const keepNamespace = 'hostile-keep';
const patchTargets = 10;

describe('hostile input', { skip: kubectl.skip }, () => {
  let server: TestServer;
  let api: RawClient;
  const session = kubectlSession(kubectl, () => server.kubeconfig);

  const create = async (path: string, body: unknown) => {
    const r = await api.call('POST', path, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    assert.ok(r.status === 201 || r.status === 200, `POST ${path}: ${r.status} ${r.text()}`);
  };

  before(async () => {
    server = await startServer();
    api = await rawClient(server.kubeconfig);
    for (const name of [hostileNamespace, keepNamespace]) await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // Controllers act on what the cases store (a Deployment of 2^31-1 replicas is valid): a quota keeps that bounded.
    await create(`/api/v1/namespaces/${hostileNamespace}/resourcequotas`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'guard' },
      spec: { hard: { pods: '200', 'count/replicasets.apps': '200', 'count/jobs.batch': '30', 'count/persistentvolumeclaims': '100' } },
    });
    await create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'blobs.hostile.skiff.dev' },
      spec: {
        group: 'hostile.skiff.dev',
        scope: 'Namespaced',
        names: { plural: 'blobs', singular: 'blob', kind: 'Blob', listKind: 'BlobList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
          },
        ],
      },
    });
    await session.until('the Blob resource to be served', ['get', 'blobs', '-n', hostileNamespace], (out) => !out.includes('error'));
    for (const ns of [hostileNamespace, keepNamespace]) {
      for (const name of sentinelNames) {
        await create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { keep: 'me' } });
        await create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { keep: 'me' } });
      }
    }
    for (const name of targetNames) {
      await create(`/api/v1/namespaces/${hostileNamespace}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });
      await create(`/apis/apps/v1/namespaces/${hostileNamespace}/deployments`, validObject(kinds[0]!, name, hostileNamespace));
    }
    for (const kind of kinds) await create(kind.collection(hostileNamespace), validObject(kind, baseName(kind), hostileNamespace));
    for (let i = 0; i < patchTargets; i++) {
      await create(`/api/v1/namespaces/${hostileNamespace}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `patch-cm-${i}` },
        data: { key: 'value' },
      });
      await create(`/apis/apps/v1/namespaces/${hostileNamespace}/deployments`, validObject(kinds[0]!, `patch-dep-${i}`, hostileNamespace));
    }
  });
  after(async () => server?.stop());

  test('ten thousand generated hostile requests: no 5xx, no echoing errors, nothing refused stored, kubectl answered within a second', async () => {
    const seed = Number(process.env.SKIFF_HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const scale = Number(process.env.SKIFF_HOSTILE_SCALE ?? '1');
    console.log(`hostile-input seed ${seed} (SKIFF_HOSTILE_SEED=${seed} replays this run)`);
    const rng = new Random(seed);
    const cases = generateCases(rng, scale, baseName, (i) => ({ configMap: `patch-cm-${i % patchTargets}`, deployment: `patch-dep-${i % patchTargets}` }));
    if (scale >= 1) assert.ok(cases.length >= 10_000, `only ${cases.length} cases generated`);

    const probe = livenessProbe(() => session.run(['get', 'ns']));
    const otherCa = await createCertificateAuthority('skiff-hostile-impostor-ca');
    const forged = await signCertificate(otherCa, { commonName: 'system:admin', organizations: ['system:masters'], usage: 'client', validDays: 1 });
    const client = await hostileClient(server.kubeconfig, 8, forged);
    const started = performance.now();
    const report = await runCases(client, cases, 8, 180_000).finally(() => client.close());
    const seconds = (performance.now() - started) / 1000;
    const probes = await probe.stop();

    console.log(`${report.sent} requests in ${seconds.toFixed(1)} s; by class: ${JSON.stringify(report.byClass)}`);
    console.log(`status codes: ${JSON.stringify(report.statusCounts)}`);
    console.log(`slowest answers:\n${report.slowest.map((s) => `  ${s.ms} ms ${s.status} ${s.request}`).join('\n')}`);
    const times = probes.map((p) => p.ms).sort((a, b) => a - b);
    console.log(
      `kubectl get ns during the run: ${probes.length} calls, median ${times[Math.floor(times.length / 2)]?.toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms`,
    );
    const shown = report.failures.slice(0, Number(process.env.SKIFF_HOSTILE_SHOW ?? 40)).map((f) => `[${f.cls}] ${f.request}\n    ${f.problem}`);
    assert.equal(report.failures.length, 0, `${report.failures.length} hostile requests were mishandled (seed ${seed}):\n${shown.join('\n')}`);
    const failedProbes = probes.filter((p) => p.code !== 0 || p.ms > 1000);
    assert.equal(failedProbes.length, 0, `kubectl get ns failed or took over 1 s: ${JSON.stringify(failedProbes.slice(0, 10))}`);
    assert.ok(probes.length >= Math.floor(seconds / 2), `only ${probes.length} kubectl probes ran in ${seconds.toFixed(0)} s`);
  });

  test('afterwards: sentinels intact, everything stored is what kube would store, and every client still reads it', async () => {
    for (const ns of [hostileNamespace, keepNamespace]) {
      for (const name of sentinelNames) {
        for (const resource of ['configmaps', 'secrets']) {
          const r = await api.call('GET', `/api/v1/namespaces/${ns}/${resource}/${name}`);
          assert.equal(r.status, 200, `sentinel ${resource} ${ns}/${name} is gone: ${r.text()}`);
        }
      }
    }
    for (const ns of ['default', 'kube-system', 'kube-public', hostileNamespace, keepNamespace]) {
      const r = await api.call('GET', `/api/v1/namespaces/${ns}`);
      assert.equal(r.status, 200, `namespace ${ns} is gone`);
      assert.equal(r.json<{ status: { phase: string } }>().status.phase, 'Active', `namespace ${ns} is not Active`);
    }
    for (const kind of kinds) {
      const path = kind.namespaced ? kind.collection(hostileNamespace) : `${kind.collection(hostileNamespace)}?labelSelector=hostile.skiff.dev%2Ffake%3Dtrue`;
      const list = await api.call('GET', path);
      assert.equal(list.status, 200, `LIST ${path}: ${list.text().slice(0, 300)}`);
      for (const item of list.json<{ items: unknown[] }>().items) {
        const problems = kubeWouldRefuse({ ...(item as object), kind: kind.kind }, kind.typeName);
        assert.deepEqual(problems, [], `a stored ${kind.kind} kube would refuse: ${JSON.stringify(item).slice(0, 400)}`);
      }
      const proto = await api.call('GET', path, { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
      assert.equal(proto.status, 200, `protobuf LIST ${path}: ${proto.text().slice(0, 300)}`);
      const plural = kind.collection(hostileNamespace).split('/').pop()!;
      const described = await session.run(
        kind.namespaced ? ['describe', plural, '-n', hostileNamespace] : ['describe', plural, '-l', 'hostile.skiff.dev/fake=true'],
      );
      assert.equal(described.code, 0, `kubectl describe ${plural}: ${described.stderr.slice(0, 500)}`);
    }
    const log = await readFile(server.logFile, 'utf8');
    const internal = log.split('\n').filter((line) => /Internal error|uncaught|unhandled/i.test(line));
    assert.deepEqual(internal.slice(0, 5), [], 'the server logged internal errors');
    assert.ok(server.pid !== undefined, 'the server process is gone');
    // The controllers' informers took every stored object: they still work.
    await session.k(['create', 'deployment', 'alive', '--image=nginx', '--replicas=2', '-n', keepNamespace]);
    await session.until(
      'the Deployment controller and ReplicaSet controller to act',
      ['get', 'pods', '-n', keepNamespace, '-l', 'app=alive', '-o', 'name'],
      (out) => out.split('\n').filter((l) => l.startsWith('pod/')).length === 2,
    );
  });
});

/** Deadlines the slow-client server runs with (the defaults are kube's: 32 s for headers, 60 s for a body). */
const shortDeadlines = { SKIFF_HEADERS_TIMEOUT_MS: '2000', SKIFF_BODY_TIMEOUT_MS: '3000', SKIFF_BODY_IDLE_TIMEOUT_MS: '1000' };
/** How long after its deadline each kind of slow client may stay connected (Node checks deadlines periodically). */
const closeWithinMs: Record<SlowKind, number> = {
  'no-handshake': 2000 + 2500,
  'slow-headers': 2000 + 2500,
  'silent-body': 1000 + 2500,
  'trickled-body': 3000 + 2500,
  'unauthenticated-body': 1500,
};

describe('hostile clients: slow, silent and flooding', { skip: kubectl.skip }, () => {
  let server: TestServer;
  let api: RawClient;
  const session = kubectlSession(kubectl, () => server.kubeconfig);
  before(async () => {
    server = await startServer({ env: shortDeadlines });
    api = await rawClient(server.kubeconfig);
  });
  after(async () => server?.stop());

  test('slow and silent clients are cut off at their deadlines, never held, while kubectl is answered within a second', async () => {
    const rng = new Random(Number(process.env.SKIFF_HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31)));
    const creds = await tlsCredentials(server.kubeconfig);
    const probe = livenessProbe(() => session.run(['get', 'ns']));
    const kinds = Array.from({ length: 150 }, (_, i) => slowKinds[i % slowKinds.length]!);
    // They arrive over a second or so, as a crowd does, not in one burst of 150 TLS handshakes.
    const results = await Promise.all(kinds.map(async (kind, i) => (await sleep(i * 8), slowClient(creds, kind, rng, closeWithinMs[kind] + 5000))));
    const probes = await probe.stop();
    const late = results.filter((r) => r.closedAfterMs === undefined || r.closedAfterMs > closeWithinMs[r.kind]);
    const summary = slowKinds.map((kind) => {
      const times = results.filter((r) => r.kind === kind).map((r) => r.closedAfterMs ?? Infinity);
      return `${kind} closed after ${Math.round(Math.min(...times))}-${Math.round(Math.max(...times))} ms`;
    });
    console.log(`slow clients: ${summary.join('; ')}`);
    assert.deepEqual(late.slice(0, 5), [], `${late.length} slow clients were not closed in time`);
    for (const r of results.filter((r) => r.kind === 'unauthenticated-body')) assert.match(r.statusLine, /^HTTP\/1\.1 401/);
    for (const r of results.filter((r) => r.kind === 'silent-body' || r.kind === 'trickled-body')) assert.match(r.statusLine, /^(HTTP\/1\.1 408 |$)/);
    const slowProbes = probes.filter((p) => p.code !== 0 || p.ms > 1000);
    assert.deepEqual(slowProbes, [], 'kubectl get ns failed or took over 1 s while slow clients were connected');
    const log = await readFile(server.logFile, 'utf8');
    assert.ok(!/"level":"error"/.test(log) && !/\n\s+at /.test(log), 'a client going away was logged as an error or with a stack');
  });

  test('a watch flood: stalled watchers do not hold up the ones that read, and every reader gets every event', async () => {
    const ns = 'flood';
    await session.k(['create', 'namespace', ns]);
    const creds = await tlsCredentials(server.kubeconfig);
    const watchers = 300;
    const pods = 200;
    const rv = (await api.call('GET', `/api/v1/namespaces/${ns}/pods`)).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const streams = Array.from({ length: watchers }, (_, i) => openWatch(creds, `/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${rv}`, i % 3 === 0));
    await Promise.all(streams.map((s) => s.opened));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < pods) {
          const name = `flood-${next++}`;
          const r = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }),
          });
          assert.equal(r.status, 201, r.text());
        }
      }),
    );
    const createSeconds = (performance.now() - started) / 1000;
    const readers = streams.filter((s) => !s.stalled);
    const deadline = Date.now() + 60_000;
    while (readers.some((s) => s.added() < pods) && Date.now() < deadline) await sleep(100);
    const deliveredSeconds = (performance.now() - started) / 1000;
    console.log(
      `watch flood: ${pods} pods created in ${createSeconds.toFixed(1)} s to ${watchers} watchers (${watchers - readers.length} stalled); every reader had them all after ${deliveredSeconds.toFixed(1)} s`,
    );
    const short = readers.filter((s) => s.added() < pods).map((s) => s.added());
    assert.deepEqual(short.slice(0, 5), [], `${short.length} reading watchers missed events`);
    for (const s of streams) s.close();
    const probe = performance.now();
    assert.equal((await api.call('GET', '/api/v1/namespaces')).status, 200);
    assert.ok(performance.now() - probe < 1000, 'the server was slow to answer after the flood');
  });
});

interface WatchStream {
  readonly stalled: boolean;
  readonly opened: Promise<void>;
  added(): number;
  close(): void;
}

/** A watch on its own connection; a stalled one never reads what the server sends. */
function openWatch(creds: TlsCredentials, path: string, stalled: boolean): WatchStream {
  let added = 0;
  let tail = '';
  let resolveOpened: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (resolveOpened = resolve));
  const req = request({ host: creds.host, port: creds.port, ca: creds.ca, cert: creds.cert, key: creds.key, path, agent: false }, (res) => {
    resolveOpened();
    if (stalled) {
      res.pause();
      return;
    }
    res.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{"type":"ADDED"')) added++;
    });
  });
  req.on('error', () => resolveOpened());
  req.end();
  return { stalled, opened, added: () => added, close: () => req.destroy() };
}

function baseName(kind: Kind): string {
  return `base-${kind.kind.toLowerCase()}`;
}

interface Probe {
  readonly ms: number;
  readonly code: number;
}

/** Runs `call` about once a second until stopped; answers how long each call took and how it ended. */
function livenessProbe(call: () => Promise<{ code: number }>): { stop(): Promise<Probe[]> } {
  const results: Probe[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const { code } = await call();
      const ms = performance.now() - started;
      results.push({ ms, code });
      await sleep(Math.max(0, 1000 - ms));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return results;
    },
  };
}
