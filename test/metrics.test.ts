// /metrics and request logging of a real `skiff server`: after kubectl work the kube-named
// counters, histograms and gauges have moved with the right labels; /metrics needs credentials;
// -v 4 prints one httplog line per request; bad -v and --log-format values fail with a hint.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { clientPath, kubectl135, rawClient, repoRoot, runKubectl, startServer, type RawClient, type TestServer } from './support/index.js';

const run = promisify(execFile);

/** Samples keyed `name{a="x",b="y"}` with labels sorted, so tests need not know the writer's label order. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort();
    samples.set(`${m[1]}{${labels.join(',')}}`, Number(m[3]));
  }
  return samples;
}

function key(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;
}

function request(verb: string, scope: string, code: string, extra: Record<string, string> = {}): string {
  return key('apiserver_request_total', {
    verb,
    dry_run: '',
    group: '',
    version: 'v1',
    resource: 'configmaps',
    subresource: '',
    scope,
    component: 'apiserver',
    code,
    ...extra,
  });
}

describe('metrics and request logs', async () => {
  const client = await kubectl135();
  let server: TestServer;
  let bin: string;
  let raw: RawClient;
  const kubectl = async (...args: string[]) => {
    const r = await runKubectl(bin, server.kubeconfig, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const scrape = async () => parseMetrics(await kubectl('get', '--raw', '/metrics'));

  before(async () => {
    if (client.skip) return;
    bin = clientPath(client);
    server = await startServer({ extraArgs: ['-v', '4'] });
    raw = await rawClient(server.kubeconfig);
  });
  after(async () => server?.stop());

  test('kubectl work moves the kube-named metrics', { skip: client.skip }, async () => {
    const before = await scrape();
    const value = (samples: Map<string, number>, k: string) => samples.get(k) ?? 0;

    await kubectl('create', 'configmap', 'metered', '--from-literal=k=v');
    await kubectl('get', 'configmap', 'metered');
    await kubectl('get', 'configmaps');
    const missing = await runKubectl(bin, server.kubeconfig, ['get', 'configmap', 'absent']);
    assert.equal(missing.code, 1);
    const manifest = path.join(server.dataDir, 'applied.yaml');
    await writeFile(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  k: v\n');
    // Server-side apply is counted under kube's APPLY verb.
    await kubectl('apply', '--server-side', '-f', manifest);
    const events = await raw.watch('/api/v1/namespaces/default/configmaps?watch=true', (e) => e.length >= 1, 10_000);
    assert.equal(events[0]?.type, 'ADDED');
    await kubectl('delete', 'configmap', 'metered');

    const now = await scrape();
    const moved = (k: string, by = 1) => assert.ok(value(now, k) - value(before, k) >= by, `${k}: ${value(before, k)} -> ${value(now, k)}`);
    moved(request('POST', 'namespace', '201'));
    moved(request('GET', 'resource', '200'));
    moved(request('GET', 'resource', '404'));
    moved(request('LIST', 'namespace', '200'));
    moved(request('APPLY', 'resource', '201'));
    moved(request('DELETE', 'resource', '200'));
    moved(request('WATCH', 'namespace', '200'));
    moved(
      key('apiserver_request_duration_seconds_count', {
        verb: 'POST',
        dry_run: '',
        group: '',
        version: 'v1',
        resource: 'configmaps',
        subresource: '',
        scope: 'namespace',
        component: 'apiserver',
      }),
    );
    assert.ok(![...now.keys()].some((k) => k.startsWith('apiserver_request_duration_seconds') && k.includes('verb="WATCH"')), 'watches have no latency');
    moved(
      key('apiserver_request_total', {
        verb: 'GET',
        dry_run: '',
        group: '',
        version: '',
        resource: '',
        subresource: '/metrics',
        scope: '',
        component: 'apiserver',
        code: '200',
      }),
    );
    moved(key('apiserver_watch_events_total', { group: '', version: 'v1', kind: 'ConfigMap' }));
    moved(key('etcd_request_duration_seconds_count', { operation: 'create', type: 'configmaps' }));
    moved(key('etcd_request_duration_seconds_count', { operation: 'delete', type: 'configmaps' }));
    assert.equal(
      value(now, key('apiserver_storage_objects', { resource: 'configmaps' })),
      Number(await kubectl('get', 'configmaps', '-A', '--no-headers', '-o', 'name').then((o) => o.split('\n').filter(Boolean).length)),
    );
    assert.ok(value(now, key('apiserver_storage_objects', { resource: 'namespaces' })) >= 4);
    assert.ok(value(now, key('process_resident_memory_bytes', {})) > 10_000_000);
    assert.ok(now.has(key('process_cpu_seconds_total', {})));
    assert.equal(
      value(
        now,
        key('apiserver_longrunning_requests', {
          verb: 'WATCH',
          group: '',
          version: 'v1',
          resource: 'configmaps',
          subresource: '',
          scope: 'namespace',
          component: 'apiserver',
        }),
      ),
      0,
    );
  });

  test('/metrics is 401 without credentials', { skip: client.skip }, async () => {
    const res = await raw.call('GET', '/metrics', { anonymous: true });
    assert.equal(res.status, 401);
    assert.equal(res.json().reason, 'Unauthorized');
  });

  test('-v 4 prints one request line per request', { skip: client.skip }, async () => {
    await kubectl('create', 'configmap', 'logged');
    await kubectl('get', 'configmap', 'logged', '-o', 'name');
    // The line reaches the log file through the server's stderr pipe, a moment after the answer.
    const logged = async () =>
      (await readFile(server.logFile, 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"HTTP"') && l.includes('URI="/api/v1/namespaces/default/configmaps/logged"'));
    let lines = await logged();
    for (let i = 0; i < 50 && lines.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      lines = await logged();
    }
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0]!,
      /^I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ skiff\] "HTTP" verb="GET" URI="\/api\/v1\/namespaces\/default\/configmaps\/logged" latency="[\d.]+ms" userAgent="kubectl\/v1\.35[^"]*" srcIP="127\.0\.0\.1:\d+" resp=200$/,
    );
  });

  test('bad -v and --log-format values fail with one line and a hint', async () => {
    const skiff = path.join(repoRoot(), 'bin', 'skiff.js');
    for (const [args, message] of [
      [
        ['-v', 'high'],
        'error: -v must be a log verbosity level (a whole number, 0 or more), got "high"\nhint: for example -v 2, or -v 4 to log every request\n',
      ],
      [['--log-format', 'xml'], 'error: --log-format must be text or json, got "xml"\nhint: for example --log-format json\n'],
    ] as const) {
      const bad = await run(process.execPath, [skiff, 'server', ...args]).catch((e: { code: number; stderr: string }) => e);
      assert.equal((bad as { code: number }).code, 1);
      assert.equal((bad as { stderr: string }).stderr, message);
    }
  });
});
