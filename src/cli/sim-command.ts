// `skiff sim`: simulated nodes for scale tests and demos. Connects with a kubeconfig like any
// client, registers N nodes and keeps them alive until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiClient, loadKubeconfig } from '../client/index.js';
import { isDNS1123Subdomain, quantityValue } from '../api/index.js';
import { Logger, log, setLogger } from '../log/index.js';
import { NodeSimulator } from '../sim/index.js';
import { CliError } from './cli-error.js';
import { errorMessage } from '../lang/index.js';
import { defaultKubeconfigPath } from '../files/index.js';

const simHelp = `Usage: skiff sim --nodes N [flags]

Runs N simulated nodes against a cluster, as kwok does: Node objects with kubelet-style status,
Lease heartbeats every 10 s, and pods bound to them moved through their lifecycle without
containers. Stop with Ctrl-C; the nodes stay (NotReady once their leases expire) unless
--delete-on-exit.

Pods: annotation skiff.dev/simulated-duration (a Go duration: 30s, 2m) makes the containers
exit after that long, with skiff.dev/simulated-exit-code (default 0).
Nodes: kubectl annotate node NAME skiff.dev/simulated-down=true stops a node's heartbeats;
kubectl annotate node NAME skiff.dev/simulated-down- brings it back.

Flags:
  --nodes N                         how many nodes (required)
  --name-prefix PREFIX              node names are PREFIX0, PREFIX1, ... (default sim-)
  --cpu Q                           CPU capacity of each node (default 8)
  --memory Q                        memory capacity of each node (default 32Gi)
  --pods N                          pod capacity of each node (default 110)
  --ephemeral-storage Q             ephemeral-storage capacity of each node (default 100Gi)
  --kubeconfig FILE                 cluster to join (default $KUBECONFIG, else ${defaultKubeconfigPath})
  --node-lease-duration-seconds N   lease duration; renewed every quarter of it (default 40)
  --delete-on-exit                  delete the nodes and their leases on Ctrl-C
  -v, --v N                         log verbosity (default 0)
  -h, --help                        show this help
`;

interface SimFlags {
  nodes: number;
  namePrefix: string;
  shape: { cpu: string; memory: string; pods: string; ephemeralStorage: string };
  kubeconfig: string;
  leaseDurationSeconds: number;
  deleteOnExit: boolean;
  verbosity: number;
}

function wholeNumber(flag: string, text: string, min: number, example: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
    throw new CliError(`${flag} must be a whole number of at least ${min}, got ${JSON.stringify(text)}`, `for example ${flag} ${example}`);
  return n;
}

function quantity(flag: string, text: string, example: string): string {
  const n = quantityValue(text);
  if (n === undefined || n <= 0) throw new CliError(`${flag} must be a positive quantity, got ${JSON.stringify(text)}`, `for example ${flag} ${example}`);
  return text;
}

function parseSimFlags(argv: string[]): SimFlags | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        nodes: { type: 'string' },
        'name-prefix': { type: 'string' },
        cpu: { type: 'string' },
        memory: { type: 'string' },
        pods: { type: 'string' },
        'ephemeral-storage': { type: 'string' },
        kubeconfig: { type: 'string' },
        'node-lease-duration-seconds': { type: 'string' },
        'delete-on-exit': { type: 'boolean' },
        v: { type: 'string', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliError(errorMessage(err).split('\n')[0]!, 'run `skiff sim --help` for the flags');
  }
  if (values.help) return 'help';
  if (values.nodes === undefined) throw new CliError('--nodes is required', 'for example skiff sim --nodes 100');
  const nodes = wholeNumber('--nodes', values.nodes, 1, '100');
  const namePrefix = values['name-prefix'] ?? 'sim-';
  const problems = isDNS1123Subdomain(`${namePrefix}${nodes - 1}`);
  if (problems.length)
    throw new CliError(`--name-prefix ${JSON.stringify(namePrefix)} does not make valid node names: ${problems[0]!}`, 'for example --name-prefix sim-');
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG ?? defaultKubeconfigPath;
  if (!existsSync(kubeconfig))
    throw new CliError(
      `no kubeconfig at ${kubeconfig}`,
      values.kubeconfig ? 'check the --kubeconfig path' : 'start a cluster with `skiff server` first, or pass --kubeconfig',
    );
  return {
    nodes,
    namePrefix,
    shape: {
      cpu: quantity('--cpu', values.cpu ?? '8', '8'),
      memory: quantity('--memory', values.memory ?? '32Gi', '32Gi'),
      pods: String(wholeNumber('--pods', values.pods ?? '110', 1, '110')),
      ephemeralStorage: quantity('--ephemeral-storage', values['ephemeral-storage'] ?? '100Gi', '100Gi'),
    },
    kubeconfig,
    leaseDurationSeconds: wholeNumber('--node-lease-duration-seconds', values['node-lease-duration-seconds'] ?? '40', 1, '40'),
    deleteOnExit: values['delete-on-exit'] ?? false,
    verbosity: wholeNumber('-v', (values.v ?? '0').replace(/^=/, ''), 0, '2'),
  };
}

export async function runSim(argv: string[]): Promise<number> {
  const flags = parseSimFlags(argv);
  if (flags === 'help') {
    process.stdout.write(simHelp);
    return 0;
  }
  setLogger(new Logger({ verbosity: flags.verbosity, format: 'text' }));
  let options;
  try {
    options = await loadKubeconfig(flags.kubeconfig, 'skiff-sim');
  } catch (err) {
    throw new CliError(`cannot use kubeconfig: ${(err as Error).message}`, 'pass a kubeconfig written by `skiff server` with --kubeconfig');
  }
  // Thousands of heartbeats a minute: more connections than a controller needs.
  const client = new ApiClient({ ...options, maxSockets: 32 });
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    process.stdout.write(`received ${sig}, stopping\n`);
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const simulator = new NodeSimulator(client, {
    nodes: flags.nodes,
    namePrefix: flags.namePrefix,
    shape: flags.shape,
    leaseDurationSeconds: flags.leaseDurationSeconds,
    deleteOnExit: flags.deleteOnExit,
  });
  const started = Date.now();
  try {
    await simulator.run(stop.signal, () =>
      process.stdout.write(
        `skiff sim: ${flags.nodes} nodes ${flags.namePrefix}0..${flags.namePrefix}${flags.nodes - 1} running against ${options.server} (registered in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      ),
    );
  } finally {
    client.close();
  }
  log.v(2, 'skiff sim stopped');
  return 0;
}
