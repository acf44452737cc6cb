// Starts `skiff sim` for an integration test against a test server: simulated nodes in a child
// process, ready once it says so, stopped by pid even when the test fails or is interrupted.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { repoRoot } from './repo-root.js';

export interface TestSim {
  readonly pid: number | undefined;
  readonly logFile: string;
  /** What the simulator printed so far (stdout and stderr). */
  output(): Promise<string>;
  /** Sends the signal (SIGINT as Ctrl-C does), SIGKILL after 10 s; resolves with the exit code. Safe to repeat. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Runs `skiff sim --kubeconfig <kubeconfig> ARGS...`, logging into `<dir>/sim-<n>.log`; resolves once its nodes are registered. */
export async function startSim(kubeconfig: string, args: readonly string[], timeoutMs = 60_000): Promise<TestSim> {
  installCleanup();
  const logFile = path.join(path.dirname(kubeconfig), `sim-${Date.now()}-${Math.floor(Math.random() * 1e6)}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KUBECONFIG;
    child = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'skiff.js'), 'sim', '--kubeconfig', kubeconfig, ...args], { stdio: ['ignore', fd, fd], env });
  } finally {
    closeSync(fd);
  }
  live.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });
  const output = () => readFile(logFile, 'utf8').catch(() => '');
  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return exited;
  };
  const sim: TestSim = { pid: child.pid, logFile, output, stop };
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    const text = await output();
    if (text.includes('skiff sim: ')) return sim;
    if (done || Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`skiff sim did not become ready${done ? ' (it exited)' : ` within ${timeoutMs} ms`}\n${text.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of live) if (child.pid !== undefined) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(128 + osConstants.signals[signal]));
  }
}
