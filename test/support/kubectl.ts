// Runs a real kubectl against a test server and captures what it prints. Each server (each
// kubeconfig directory) and kubectl binary gets its own HOME and discovery cache, because kubectl
// caches discovery for hours and would otherwise carry answers from one test server to the next.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';

export interface KubectlResult {
  /** Exit code; 128 + the signal number if kubectl was killed by a signal. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's standard input, which is then closed. */
  readonly stdin?: string | Buffer;
  /** kubectl is killed and the call fails after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Extra environment variables (e.g. KUBECTL_* feature switches). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `bin --kubeconfig <kubeconfig> --cache-dir <fresh> ARGS...` and resolves when it exits. */
export async function runKubectl(
  bin: string,
  kubeconfig: string,
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  const home = path.join(
    path.dirname(kubeconfig),
    '.kubectl-home',
    createHash('sha256').update(bin).digest('hex').slice(0, 12),
  );
  await mkdir(home, { recursive: true });
  // Only what kubectl needs: never the developer's KUBECONFIG, proxies or kubectl settings.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: kubeconfig,
    ...options.env,
  };
  const fullArgs = ['--kubeconfig', kubeconfig, '--cache-dir', path.join(home, '.kube', 'cache'), ...args];
  return runProgram(bin, fullArgs, env, options, `kubectl ${args.join(' ')}`);
}

/** Runs a client program with exactly `env`, feeding `options.stdin`, killing it at the timeout. */
export async function runProgram(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, options: KubectlOptions, label: string): Promise<KubectlResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // A client may exit before reading its input; that is its answer, not a test failure.
  child.stdin.on('error', () => undefined);
  if (options.stdin === undefined) child.stdin.end();
  else child.stdin.end(options.stdin);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, signal) => {
        if (exitCode !== null) resolve(exitCode);
        else resolve(128 + (signal === null ? 0 : (osConstants.signals[signal] ?? 0)));
      });
    });
    const result = {
      code,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
    if (timedOut) {
      throw new Error(
        `${label} did not finish within ${timeoutMs} ms\n` +
          `stdout: ${result.stdout.slice(-2000)}\nstderr: ${result.stderr.slice(-2000)}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}
