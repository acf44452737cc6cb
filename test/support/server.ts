// Starts a real `skiff server` for an integration test: its own loopback port and temporary data dir,
// ready once it has written its kubeconfig. Servers are stopped and their directories removed even
// when a test fails or the test process is interrupted.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from './repo-root.js';

export interface ServerOptions {
  /** Leave the data dir in place after stop() (to inspect it, or to start another server on it). */
  readonly keepDataDir?: boolean;
  /** Keep the node agent's slot (test servers run with --disable-agent unless this is true). */
  readonly agent?: boolean;
  /** More `skiff server` flags, after the ones every test server gets. */
  readonly extraArgs?: readonly string[];
  /** Extra environment variables for the server process. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the kubeconfig to appear (default 30 s). */
  readonly startTimeoutMs?: number;
}

export interface TestServer {
  /** The API server URL, as written in the kubeconfig. */
  readonly url: string;
  readonly kubeconfig: string;
  readonly dataDir: string;
  readonly port: number;
  /** The server's stdout and stderr, appended across restarts. */
  readonly logFile: string;
  /** The current server process; undefined once stopped. */
  readonly pid: number | undefined;
  /** SIGTERM, SIGKILL after 10 s; then removes the data dir unless keepDataDir. Safe to repeat. */
  stop(): Promise<void>;
  /** Stops the process (keeping the data dir) and starts it again on the same port. */
  restart(): Promise<void>;
}

const stopGraceMs = 10_000;
const live = new Set<RunningServer>();

/** Starts `skiff server` on a free loopback port and resolves once it is ready. */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  installExitCleanup();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'skiff-test-'));
  const server = new RunningServer(dataDir, await freePort(), options);
  live.add(server);
  try {
    await server.launch();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

class RunningServer implements TestServer {
  readonly kubeconfig: string;
  readonly logFile: string;
  #url = '';
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly options: ServerOptions,
  ) {
    this.kubeconfig = path.join(dataDir, 'kubeconfig.yaml');
    this.logFile = path.join(dataDir, 'server.log');
  }

  get url(): string {
    return this.#url;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async launch(): Promise<void> {
    // The server writes the kubeconfig only once it serves; a leftover one would look ready.
    await rm(this.kubeconfig, { force: true });
    const args = [
      path.join(repoRoot(), 'bin', 'skiff.js'),
      'server',
      '--data-dir',
      this.dataDir,
      '--bind-address',
      '127.0.0.1',
      '--https-listen-port',
      String(this.port),
      '--write-kubeconfig',
      this.kubeconfig,
      ...(this.options.agent ? [] : ['--disable-agent']),
      ...(this.options.extraArgs ?? []),
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.options.env };
    delete env.KUBECONFIG;
    const log = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      // SKIFF_TEST_SERVER_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the servers a test starts.
      const nodeFlags = (process.env.SKIFF_TEST_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
      child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', log, log], env });
    } finally {
      closeSync(log);
    }
    this.#child = child;
    let exitStatus: string | undefined;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitStatus = signal === null ? `exit code ${code}` : `signal ${signal}`;
        resolve();
      });
      child.once('error', (error) => {
        exitStatus = `spawn error: ${error.message}`;
        resolve();
      });
    });

    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const url = await readServerUrl(this.kubeconfig);
      if (url !== undefined) {
        this.#url = url;
        return;
      }
      if (exitStatus !== undefined) {
        throw new Error(`skiff server stopped before it was ready (${exitStatus})\n${await this.logTail()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`skiff server was not ready within ${timeoutMs} ms\n${await this.logTail()}`);
      }
      await delay(100);
    }
  }

  async restart(): Promise<void> {
    if (!live.has(this)) throw new Error(`test server on port ${this.port} was stopped; it cannot restart`);
    await this.terminate();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.terminate();
    if (this.options.keepDataDir !== true) await rm(this.dataDir, { recursive: true, force: true });
    live.delete(this);
  }

  /** The synchronous last resort for process exit: no graceful stop, just gone. */
  killNow(): void {
    const child = this.#child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (this.options.keepDataDir !== true) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async terminate(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await settlesWithin(this.#exited, stopGraceMs))) {
        child.kill('SIGKILL');
        await settlesWithin(this.#exited, 5_000);
      }
    }
    this.#child = undefined;
  }

  private async logTail(lines = 40): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    const tail = text.trimEnd().split('\n').slice(-lines).join('\n');
    return `--- last ${lines} lines of ${this.logFile} ---\n${tail}`;
  }
}

/** The `server` of the kubeconfig's first cluster, once the file is complete. */
async function readServerUrl(kubeconfig: string): Promise<string | undefined> {
  let parsed: unknown;
  try {
    parsed = yaml.load(await readFile(kubeconfig, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('clusters' in parsed)) return undefined;
  const clusters = parsed.clusters;
  if (!Array.isArray(clusters)) return undefined;
  const first: unknown = clusters[0];
  if (typeof first !== 'object' || first === null || !('cluster' in first)) return undefined;
  const cluster = first.cluster;
  if (typeof cluster !== 'object' || cluster === null || !('server' in cluster)) return undefined;
  return typeof cluster.server === 'string' && cluster.server !== '' ? cluster.server : undefined;
}

/** A port the kernel just handed out on 127.0.0.1, released again for the server to take. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

let exitCleanupInstalled = false;

function installExitCleanup(): void {
  if (exitCleanupInstalled) return;
  exitCleanupInstalled = true;
  process.on('exit', () => {
    for (const server of live) server.killNow();
  });
  // Without these, an interrupted test process would exit without running 'exit' handlers.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(128 + osConstants.signals[signal]));
  }
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
