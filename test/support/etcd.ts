// Starts a private etcd for a test or benchmark: free loopback ports, a temporary data dir, ready
// once it answers on its client port; stop() kills it by pid and removes the dir, and every etcd
// still running is killed when the process exits, so a failed test leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestEtcd {
  /** The client URL, for --datastore-endpoint. */
  readonly endpoint: string;
  /** host:port of the client endpoint, as the etcd backend takes it. */
  readonly target: string;
  readonly pid: number;
  /** Kills etcd (SIGKILL after 5 s) and removes its data dir. Safe to repeat. */
  stop(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; dataDir: string }>();
let exitHookInstalled = false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilServing(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}:\n${output()}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`etcd did not serve on port ${port} within ${timeoutMs} ms:\n${output()}`);
}

export async function startEtcd(timeoutMs = 20_000): Promise<TestEtcd> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const { child, dataDir } of live) {
        child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'skiff-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    'etcd',
    [
      '--name=test',
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=test=${peer}`,
      '--log-level=error',
      '--logger=zap',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const entry = { child, dataDir };
  live.add(entry);
  const stop = async (): Promise<void> => {
    if (!live.has(entry)) return;
    live.delete(entry);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(clientPort, child, () => output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: client, target: `127.0.0.1:${clientPort}`, pid: child.pid ?? 0, stop };
}
