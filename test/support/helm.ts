// Runs a real helm against a test server. Helm keeps its cache, config and data under
// directories of its own beside the server's kubeconfig, never the developer's.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runProgram, type KubectlOptions, type KubectlResult } from './kubectl.js';

/** Runs `bin --kubeconfig <kubeconfig> ARGS...` with helm's homes isolated per server. */
export async function runHelm(bin: string, kubeconfig: string, args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const home = path.join(path.dirname(kubeconfig), '.helm-home');
  await mkdir(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
    ...options.env,
  };
  return runProgram(bin, ['--kubeconfig', kubeconfig, ...args], env, { timeoutMs: 60_000, ...options }, `helm ${args.join(' ')}`);
}
