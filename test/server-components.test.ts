// `skiff server` as a composition of components: --disable-agent and --disable switch pieces off,
// the health endpoints list the real checks in kube's format, `kubectl get cs` answers as
// kube-apiserver does, and the server's log holds only its own lines.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { clientPath, kubectl135, rawClient, repoRoot, runKubectl, startServer, type TestServer } from './support/index.js';

const run = promisify(execFile);
const skiff = path.join(repoRoot(), 'bin', 'skiff.js');

describe('skiff server components', async () => {
  const client = await kubectl135();
  let full: TestServer;
  let trimmed: TestServer;
  let bin: string;
  before(async () => {
    if (client.skip) return;
    bin = clientPath(client);
    // One server keeps the agent's slot; the other leaves out the agent and the scheduler and
    // disables add-ons by k3s's names, as a k3s command line would.
    [full, trimmed] = await Promise.all([
      startServer({ agent: true }),
      startServer({ extraArgs: ['--disable-scheduler', '--disable', 'traefik,servicelb', '--disable=coredns', '--disable', 'dashboard'] }),
    ]);
  });
  after(async () => Promise.all([full?.stop(), trimmed?.stop()]));

  test('kubectl get cs lists the scheduler, the controller manager and the datastore, with the deprecation warning', { skip: client.skip }, async () => {
    const got = await runKubectl(bin, full.kubeconfig, ['get', 'componentstatuses']);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stderr, 'Warning: v1 ComponentStatus is deprecated in v1.19+\n');
    assert.deepEqual(
      got.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)),
      [
        ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
        ['scheduler', 'Healthy', 'ok'],
        ['controller-manager', 'Healthy', 'ok'],
        ['sqlite-0', 'Healthy', 'ok'],
      ],
    );
    const one = await runKubectl(bin, full.kubeconfig, ['get', 'cs', 'scheduler', '-o', 'json']);
    assert.deepEqual(JSON.parse(one.stdout), {
      kind: 'ComponentStatus',
      apiVersion: 'v1',
      metadata: { name: 'scheduler' },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
    const list = JSON.parse((await runKubectl(bin, full.kubeconfig, ['get', '--raw', '/api/v1/componentstatuses'])).stdout) as {
      kind: string;
      items: unknown[];
    };
    assert.equal(list.kind, 'ComponentStatusList');
    assert.equal(list.items.length, 3);
    const missing = await runKubectl(bin, full.kubeconfig, ['get', 'cs', 'nope']);
    assert.match(missing.stderr, /Error from server \(NotFound\): componentstatuses "nope" not found/);
  });

  test('a component left out is not listed: --disable-scheduler', { skip: client.skip }, async () => {
    const got = await runKubectl(bin, trimmed.kubeconfig, ['get', 'cs', '-o', 'name']);
    assert.equal(got.stdout, 'componentstatus/controller-manager\ncomponentstatus/sqlite-0\n');
  });

  test('the health endpoints list the real checks in kube format', { skip: client.skip }, async () => {
    const api = await rawClient(full.kubeconfig);
    const text = async (p: string) => {
      const r = await api.call('GET', p, { anonymous: true });
      assert.equal(r.status, 200, p);
      return r.text();
    };
    assert.equal(
      await text('/readyz?verbose'),
      '[+]ping ok\n[+]sqlite ok\n[+]informer-sync ok\n[+]shutdown ok\n[+]controller-manager ok\n[+]scheduler ok\nreadyz check passed\n',
    );
    assert.equal(await text('/livez?verbose'), '[+]ping ok\n[+]sqlite ok\nlivez check passed\n');
    assert.equal(
      await text('/healthz?verbose&exclude=sqlite&exclude=nope'),
      '[+]ping ok\n[+]sqlite excluded: ok\n[+]controller-manager ok\n[+]scheduler ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nhealthz check passed\n',
    );
    assert.equal(await text('/healthz/sqlite'), 'ok');
    assert.equal(await text('/readyz/scheduler?verbose'), '[+]scheduler ok\nreadyz check passed\n');
    // Not on this server: the scheduler is disabled, so it has no check of its own.
    assert.equal((await (await rawClient(trimmed.kubeconfig)).call('GET', '/readyz/scheduler', { anonymous: true })).status, 401);
    assert.equal((await api.call('PUT', '/readyz/sqlite', { anonymous: true })).status, 405);
  });

  test('--disable-agent removes the agent; without it the agent slot says it is not built yet', { skip: client.skip }, async () => {
    const notice = 'No node agent yet: this server runs no pods on this machine';
    assert.ok((await readFile(full.logFile, 'utf8')).includes(notice));
    assert.ok(!(await readFile(trimmed.logFile, 'utf8')).includes(notice));
  });

  test('the server log holds only its own lines: no MaxListenersExceededWarning', { skip: client.skip }, async () => {
    // Enough work for every informer and controller to have started.
    assert.equal((await runKubectl(bin, full.kubeconfig, ['create', 'deployment', 'quiet', '--image=nginx', '--replicas=2'])).code, 0);
    await runKubectl(bin, full.kubeconfig, ['rollout', 'status', 'deployment/quiet', '--timeout=5s']).catch(() => undefined);
    for (const server of [full, trimmed]) {
      const log = await readFile(server.logFile, 'utf8');
      assert.ok(!log.includes('MaxListenersExceededWarning'), log);
      assert.ok(!log.includes('(node:'), `Node printed a warning into the server log:\n${log}`);
    }
  });

  test('--disable takes k3s add-on names; an unknown one is one line with the valid names', async () => {
    const bad = await run(process.execPath, [skiff, 'server', '--disable', 'traefik,nope']).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 1);
    assert.equal(
      (bad as { stderr: string }).stderr,
      'error: --disable: unknown add-on "nope" (valid: coredns, dashboard, dns, ingress, local-storage, metrics-server, registry, servicelb, traefik)\n' +
        'hint: for example --disable traefik,coredns\n',
    );
    const help = await run(process.execPath, [skiff, 'server', '--help']);
    assert.match(help.stdout, /--disable-agent/);
    assert.match(help.stdout, /--disable NAME/);
  });
});
