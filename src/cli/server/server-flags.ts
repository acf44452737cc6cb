// The flags of `skiff server` (its --help text and their parsing into ServerFlags): k3s's names
// where k3s has the flag. Every mistake is a one-line CliError with a hint.
import { parseArgs } from 'node:util';
import { parseCidr } from '../../net/index.js';
import { parseEndpoints } from '../../storage/index.js';
import type { LogFormat } from '../../log/index.js';
import { parseGoDurationMs } from '../../time/index.js';
import { CliError } from '../cli-error.js';
import { parseDisabledAddOns } from './add-ons.js';
import { errorMessage } from '../../lang/index.js';
import { defaultDataDir, defaultKubeconfigPath } from '../../files/index.js';

export const serverHelp = `Usage: skiff server [flags]

Runs a Kubernetes-compatible API server with its storage on this machine.

Flags:
  --data-dir DIR               where state, certificates and tools live (default ${defaultDataDir})
  --bind-address IP            address the API server listens on (default 0.0.0.0)
  --https-listen-port N        API server port (default 6443)
  --write-kubeconfig FILE      admin kubeconfig written when the server is ready, mode 0600
                               (default ${defaultKubeconfigPath}; also ~/.kube/config when absent)
  --disable-agent              run no node agent on this machine (there is none yet: without
                               this flag the server only says so in its log)
  --disable NAME               do not run this add-on; repeat it or give a comma-separated list
                               (k3s's names: coredns or dns, traefik or ingress, registry,
                               dashboard; servicelb, local-storage and metrics-server are
                               accepted and have nothing to disable in skiff)
  --service-cidr CIDR          service IP range (default 10.96.0.0/12; kubernetes service at .1)
  --cluster-cidr CIDR          pod IP range (default 10.244.0.0/16)
  --cluster-domain DOMAIN      cluster DNS domain (default cluster.local)
  --controllers LIST           controllers to run, as kube-controller-manager takes them: '*' all,
                               'foo' enables foo, '-foo' disables it (default '*')
  --disable-controller-manager run no controllers (another controller manager may run them)
  --disable-scheduler          run no scheduler (pods wait for another scheduler to bind them)
  --service-node-port-range R  NodePort range (default 30000-32767)
  --node-monitor-grace-period D  how long a node may go without a heartbeat before it is
                               NotReady (a Go duration, default 40s)
  --datastore-endpoint URLS    keep state in etcd v3 at these comma-separated client URLs
                               (http://HOST:PORT[,http://…]) instead of SQLite in --data-dir;
                               servers sharing one etcd serve the same cluster
  -v, --v N                    log verbosity: 0 errors and warnings, 2 details, 4 one line per request (default 0)
  --log-format FORMAT          log lines on stderr as text (klog style, default) or json
  --debug                      print stack traces of errors
  -h, --help                   show this help
`;

export interface ServerFlags {
  dataDir: string;
  bindAddress: string;
  port: number;
  kubeconfig: string;
  kubeconfigExplicit: boolean;
  disableAgent: boolean;
  /** Add-ons --disable names, by their skiff name (dns, ingress, registry, dashboard). */
  disable: ReadonlySet<string>;
  serviceCidr: string;
  clusterCidr: string;
  clusterDomain: string;
  nodePortRange: { min: number; max: number };
  nodeMonitorGracePeriodSeconds: number;
  /** etcd gRPC targets (host:port); absent: SQLite in the data dir. */
  etcdEndpoints: string[] | undefined;
  verbosity: number;
  logFormat: LogFormat;
  controllers: string[];
  disableControllerManager: boolean;
  disableScheduler: boolean;
}

export function parseServerFlags(argv: string[]): ServerFlags | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        'bind-address': { type: 'string' },
        'https-listen-port': { type: 'string' },
        'write-kubeconfig': { type: 'string' },
        'disable-agent': { type: 'boolean' },
        disable: { type: 'string', multiple: true },
        'service-cidr': { type: 'string' },
        'cluster-cidr': { type: 'string' },
        'cluster-domain': { type: 'string' },
        'service-node-port-range': { type: 'string' },
        'node-monitor-grace-period': { type: 'string' },
        'datastore-endpoint': { type: 'string' },
        controllers: { type: 'string' },
        'disable-controller-manager': { type: 'boolean' },
        'disable-scheduler': { type: 'boolean' },
        v: { type: 'string', short: 'v' },
        'log-format': { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliError(errorMessage(err).split('\n')[0]!, 'run `skiff server --help` for the flags');
  }
  if (values.help) return 'help';
  const port = Number(values['https-listen-port'] ?? '6443');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliError(
      `--https-listen-port must be a port number from 1 to 65535, got ${JSON.stringify(values['https-listen-port'])}`,
      'for example --https-listen-port 6443',
    );
  const serviceCidr = values['service-cidr'] ?? '10.96.0.0/12';
  const clusterCidr = values['cluster-cidr'] ?? '10.244.0.0/16';
  for (const [flag, cidr] of [
    ['--service-cidr', serviceCidr],
    ['--cluster-cidr', clusterCidr],
  ] as const) {
    try {
      parseCidr(cidr);
    } catch (err) {
      throw new CliError(`${flag}: ${(err as Error).message}`, `for example ${flag} ${flag === '--service-cidr' ? '10.96.0.0/12' : '10.244.0.0/16'}`);
    }
  }
  const rangeText = values['service-node-port-range'] ?? '30000-32767';
  const m = /^(\d+)-(\d+)$/.exec(rangeText);
  const nodePortRange = m ? { min: Number(m[1]), max: Number(m[2]) } : undefined;
  if (!nodePortRange || nodePortRange.min < 1 || nodePortRange.max > 65535 || nodePortRange.min > nodePortRange.max) {
    throw new CliError(`--service-node-port-range must be MIN-MAX, got ${JSON.stringify(rangeText)}`, 'for example --service-node-port-range 30000-32767');
  }
  const graceText = values['node-monitor-grace-period'] ?? '40s';
  let graceMs = NaN;
  try {
    graceMs = parseGoDurationMs(graceText);
  } catch {
    // reported below
  }
  if (!(graceMs >= 1000))
    throw new CliError(
      `--node-monitor-grace-period must be a duration of at least 1s, got ${JSON.stringify(graceText)}`,
      'for example --node-monitor-grace-period 40s',
    );
  const domain = values['cluster-domain'] ?? 'cluster.local';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain))
    throw new CliError(`--cluster-domain must be a DNS name, got ${JSON.stringify(domain)}`, 'for example --cluster-domain cluster.local');
  const endpointText = values['datastore-endpoint'];
  let etcdEndpoints: string[] | undefined;
  try {
    etcdEndpoints = endpointText === undefined ? undefined : parseEndpoints(endpointText);
  } catch (err) {
    throw new CliError(`--datastore-endpoint: ${(err as Error).message}`, 'for example --datastore-endpoint http://127.0.0.1:2379');
  }
  // klog also takes -v=N, which parseArgs hands over as "=N".
  const verbosityText = (values.v ?? '0').replace(/^=/, '');
  const verbosity = Number(verbosityText);
  if (!/^\d+$/.test(verbosityText) || !Number.isSafeInteger(verbosity))
    throw new CliError(
      `-v must be a log verbosity level (a whole number, 0 or more), got ${JSON.stringify(values.v)}`,
      'for example -v 2, or -v 4 to log every request',
    );
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json')
    throw new CliError(`--log-format must be text or json, got ${JSON.stringify(logFormat)}`, 'for example --log-format json');
  return {
    etcdEndpoints,
    dataDir: values['data-dir'] ?? defaultDataDir,
    bindAddress: values['bind-address'] ?? '0.0.0.0',
    port,
    kubeconfig: values['write-kubeconfig'] ?? defaultKubeconfigPath,
    kubeconfigExplicit: values['write-kubeconfig'] !== undefined,
    disableAgent: values['disable-agent'] ?? false,
    disable: parseDisabledAddOns(values.disable ?? []),
    serviceCidr,
    clusterCidr,
    clusterDomain: domain,
    nodePortRange,
    nodeMonitorGracePeriodSeconds: graceMs / 1000,
    verbosity,
    logFormat,
    disableControllerManager: values['disable-controller-manager'] ?? false,
    disableScheduler: values['disable-scheduler'] ?? false,
    controllers: (values.controllers ?? '*')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  };
}
