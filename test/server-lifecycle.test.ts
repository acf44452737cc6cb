// `skiff server` as a process: the kubeconfig it writes, restart with the same data dir keeping
// every object and certificate, a clean stop on SIGTERM, `skiff kubectl`, and clear CLI errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { clientPath, kubectl135, repoRoot, runKubectl, startServer, type TestServer } from './support/index.js';

const run = promisify(execFile);
const skiff = path.join(repoRoot(), 'bin', 'skiff.js');

describe('skiff server lifecycle', async () => {
  const client = await kubectl135();
  let server: TestServer;
  let bin: string;
  before(async () => {
    if (client.skip) return;
    bin = clientPath(client);
    server = await startServer();
  });
  after(async () => server?.stop());

  test('the admin kubeconfig is private and names the loopback server', { skip: client.skip }, async () => {
    const info = await stat(server.kubeconfig);
    assert.equal(info.mode & 0o777, 0o600);
    const text = await readFile(server.kubeconfig, 'utf8');
    assert.match(text, new RegExp(`server: https://127\\.0\\.0\\.1:${server.port}`));
  });

  test('a restart keeps objects, revisions and certificates', { skip: client.skip }, async () => {
    const before = await readFile(server.kubeconfig, 'utf8');
    assert.equal((await runKubectl(bin, server.kubeconfig, ['create', 'configmap', 'survivor', '--from-literal=k=v'])).code, 0);
    const rv = (await runKubectl(bin, server.kubeconfig, ['get', 'cm', 'survivor', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
    await server.restart();
    assert.equal(await readFile(server.kubeconfig, 'utf8'), before);
    const got = await runKubectl(bin, server.kubeconfig, ['get', 'cm', 'survivor', '-o', 'jsonpath={.data.k} {.metadata.resourceVersion}']);
    assert.equal(got.stdout, `v ${rv}`);
    const svcIp = (await runKubectl(bin, server.kubeconfig, ['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    assert.equal(svcIp, '10.96.0.1');
    assert.equal((await runKubectl(bin, server.kubeconfig, ['create', 'configmap', 'after-restart'])).code, 0);
    const later = Number((await runKubectl(bin, server.kubeconfig, ['get', 'cm', 'after-restart', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout);
    assert.ok(later > Number(rv), `revision went backwards: ${later} <= ${rv}`);
  });

  test('skiff kubectl runs the bundled kubectl against the cluster', { skip: client.skip }, async () => {
    const { stdout } = await run(process.execPath, [skiff, 'kubectl', 'get', 'cm', 'survivor', '-o', 'name'], {
      env: { ...process.env, KUBECONFIG: server.kubeconfig, SKIFF_DATA_DIR: server.dataDir, HOME: server.dataDir },
    });
    assert.equal(stdout, 'configmap/survivor\n');
  });

  test('bad flags give one line and a hint, no stack trace', async () => {
    const bad = await run(process.execPath, [skiff, 'server', '--https-listen-port', 'abc']).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 1);
    assert.equal(
      (bad as { stderr: string }).stderr,
      'error: --https-listen-port must be a port number from 1 to 65535, got "abc"\nhint: for example --https-listen-port 6443\n',
    );
    const unknown = await run(process.execPath, [skiff, 'server', '--no-such-flag']).catch((e: { stderr: string }) => e);
    assert.match(unknown.stderr, /^error: Unknown option '--no-such-flag'.*\nhint: run `skiff server --help` for the flags\n$/);
    const help = await run(process.execPath, [skiff, 'server', '--help']);
    for (const flag of [
      '--data-dir',
      '--bind-address',
      '--https-listen-port',
      '--write-kubeconfig',
      '--disable-agent',
      '--service-cidr',
      '--cluster-cidr',
      '--cluster-domain',
      '--disable-scheduler',
      '--disable-controller-manager',
    ])
      assert.ok(help.stdout.includes(flag), `help lacks ${flag}`);
  });

  test('SIGTERM stops the server within 5 seconds', { skip: client.skip }, async () => {
    const pid = server.pid!;
    const started = Date.now();
    process.kill(pid, 'SIGTERM');
    while (isAlive(pid) && Date.now() - started < 8000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!isAlive(pid), 'server still running 8 s after SIGTERM');
    assert.ok(Date.now() - started < 5000, `server took ${Date.now() - started} ms to stop`);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
