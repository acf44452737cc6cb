// The `skiff` command: dispatches to server, kubectl and helm, and prints every error as one
// line with a hint (a stack trace only with --debug).
import { existsSync } from 'node:fs';
import { runBundledTool } from './bundled-tools.js';
import { CliError } from './cli-error.js';
import { runServer } from './server-command.js';
import { runSim } from './sim-command.js';
import { errorMessage } from '../lang/index.js';
import { defaultDataDir, defaultKubeconfigPath } from '../files/index.js';

const version = '0.1.0';

const help = `skiff ${version}: a Kubernetes-compatible cluster in one command.

Usage:
  skiff server [flags]      run the API server (see skiff server --help)
  skiff sim --nodes N       run N simulated nodes against a cluster (see skiff sim --help)
  skiff kubectl ARGS...     run kubectl 1.35 against this machine's cluster
  skiff helm ARGS...        run helm 4 against this machine's cluster
  skiff --version           print the version

Environment: SKIFF_DATA_DIR (default ${defaultDataDir}) and KUBECONFIG
(default ${defaultKubeconfigPath}) tell kubectl and helm where the cluster is.
`;

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'server':
        return await runServer(rest.filter((a) => a !== '--debug'));
      case 'sim':
        return await runSim(rest.filter((a) => a !== '--debug'));
      case 'kubectl':
      case 'helm': {
        const dataDir = process.env.SKIFF_DATA_DIR ?? defaultDataDir;
        const kubeconfig = process.env.KUBECONFIG ?? defaultKubeconfigPath;
        if (!process.env.KUBECONFIG && !existsSync(kubeconfig)) {
          throw new CliError(`no kubeconfig at ${kubeconfig}`, 'start a cluster with `skiff server` first, or set KUBECONFIG');
        }
        return await runBundledTool(command, dataDir, rest, { ...process.env, KUBECONFIG: kubeconfig });
      }
      case '--version':
      case 'version':
        process.stdout.write(`skiff ${version}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(help);
        return command === undefined ? 1 : 0;
      default:
        throw new CliError(`unknown command ${JSON.stringify(command)}`, 'run `skiff --help` for the commands');
    }
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}\n`);
      return 1;
    }
    if (debug) process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    else process.stderr.write(`error: ${errorMessage(err)}\nhint: run again with --debug for details\n`);
    return 1;
  }
}
