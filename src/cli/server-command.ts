// `skiff server`: opens storage, creates or loads the cluster PKI, starts the API server and
// writes the admin kubeconfig once it serves. SIGINT/SIGTERM stop it cleanly within 5 s.
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { hostname, homedir, networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiServer } from '../apiserver/apiserver.js';
import { parseCidr, nthAddress } from '../apiserver/admission/cidr.js';
import { createHttpServer, createLocalHttpServer } from '../apiserver/http-server.js';
import { connectInProcess } from '../apiserver/in-process-connection.js';
import { adminKubeconfig, loadOrCreateClusterPki } from '../pki/index.js';
import { instrumentBackend, parseEndpoints } from '../storage/index.js';
import { openDatastore } from './datastore.js';
import { resources } from '../api/resources.js';
import { resourcePrefix } from '../apiserver/storage-keys.js';
import { ApiMetrics, storageType } from '../apiserver/metrics/index.js';
import { Logger, log, setLogger, type LogFormat } from '../log/index.js';
import { ApiClient, InformerFactory, stripManagedFields } from '../client/index.js';
import { runControllerManager } from '../controllers/index.js';
import { runScheduler } from '../scheduler/index.js';
import { parseGoDuration } from '../sim/index.js';
import { CliError } from './cli-error.js';
import { startIdleCollector } from './idle-collector.js';

export const serverHelp = `Usage: skiff server [flags]

Runs a Kubernetes-compatible API server with its storage on this machine.

Flags:
  --data-dir DIR               where state, certificates and tools live (default /var/lib/skiff)
  --bind-address IP            address the API server listens on (default 0.0.0.0)
  --https-listen-port N        API server port (default 6443)
  --write-kubeconfig FILE      admin kubeconfig written when the server is ready, mode 0600
                               (default /etc/skiff/skiff.yaml; also ~/.kube/config when absent)
  --disable-agent              run without a node agent on this machine
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

interface ServerFlags {
  dataDir: string;
  bindAddress: string;
  port: number;
  kubeconfig: string;
  kubeconfigExplicit: boolean;
  disableAgent: boolean;
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

function parseServerFlags(argv: string[]): ServerFlags | 'help' {
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
    throw new CliError(err instanceof Error ? err.message.split('\n')[0]! : String(err), 'run `skiff server --help` for the flags');
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
    graceMs = parseGoDuration(graceText);
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
    dataDir: values['data-dir'] ?? '/var/lib/skiff',
    bindAddress: values['bind-address'] ?? '0.0.0.0',
    port,
    kubeconfig: values['write-kubeconfig'] ?? '/etc/skiff/skiff.yaml',
    kubeconfigExplicit: values['write-kubeconfig'] !== undefined,
    disableAgent: values['disable-agent'] ?? false,
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

function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal || a.address === '127.0.0.1') out.push(a.address);
  return [...new Set(['127.0.0.1', ...out])];
}

/** The address clients on this machine reach the server at, and the one it advertises to the cluster. */
function addresses(bind: string): { local: string; advertise: string } {
  if (bind !== '0.0.0.0' && bind !== '::') return { local: bind, advertise: bind };
  const external = hostAddresses().find((a) => a !== '127.0.0.1' && !a.includes(':'));
  return { local: '127.0.0.1', advertise: external ?? '127.0.0.1' };
}

async function writePrivateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

export async function runServer(argv: string[]): Promise<number> {
  const flags = parseServerFlags(argv);
  if (flags === 'help') {
    process.stdout.write(serverHelp);
    return 0;
  }
  setLogger(new Logger({ verbosity: flags.verbosity, format: flags.logFormat }));
  // The server's heap grows with a burst of work and V8 keeps it; when the server goes quiet it
  // hands the burst's garbage back (see idle-collector).
  startIdleCollector();
  const { local, advertise } = addresses(flags.bindAddress);
  const serviceIp = nthAddress(parseCidr(flags.serviceCidr), 1);
  const dnsNames = ['localhost', hostname(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${flags.clusterDomain}`];
  const ipAddresses = [
    ...new Set([...hostAddresses(), serviceIp, ...(flags.bindAddress !== '0.0.0.0' && flags.bindAddress !== '::' ? [flags.bindAddress] : [])]),
  ];
  await mkdir(flags.dataDir, { recursive: true, mode: 0o700 });
  const pki = await loadOrCreateClusterPki(flags.dataDir, { dnsNames, ipAddresses });
  const stop = new AbortController();
  const store = await openDatastore(flags.dataDir, flags.etcdEndpoints, stop.signal);
  const metrics = new ApiMetrics();
  const backend = instrumentBackend(store, (operation, key, seconds) => metrics.observeStorage(operation, storageType(key), seconds));
  const storagePrefixes = [...new Set(resources.map((r) => resourcePrefix(r.storage)))];
  metrics.countObjectsWith(async () => new Map(await Promise.all(storagePrefixes.map(async (p) => [storageType(p), await store.count(p)] as const))));
  const api = await ApiServer.start({
    backend,
    serviceCidr: flags.serviceCidr,
    nodePortRange: flags.nodePortRange,
    advertiseAddress: advertise,
    securePort: flags.port,
  });
  const http = createHttpServer({
    api,
    caPem: pki.ca.certPem,
    certPem: pki.serving.certPem,
    keyPem: pki.serving.keyPem,
    adminToken: pki.adminToken,
    bindAddress: flags.bindAddress,
    port: flags.port,
    metrics,
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new CliError(`port ${flags.port} on ${flags.bindAddress} is already in use`, 'stop the other server or pick another --https-listen-port')
          : err,
      ),
    );
    http.listen(flags.port, flags.bindAddress, () => resolve());
  });
  const url = `https://${local.includes(':') ? `[${local}]` : local}:${flags.port}`;
  const kubeconfig = adminKubeconfig(url, pki.ca.certPem, pki.admin);
  await writePrivateFile(flags.kubeconfig, kubeconfig);
  const written = [flags.kubeconfig];
  if (!flags.kubeconfigExplicit) {
    const userConfig = join(homedir(), '.kube', 'config');
    const exists = await stat(userConfig).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await writePrivateFile(userConfig, kubeconfig);
      written.push(userConfig);
    }
  }
  // The components of this process are API clients like any other. They reach the server through
  // in-process connections (apiserver/in-process-connection): the same HTTP and the admin token, with
  // neither TLS nor a socket to pay for on every request and watch event.
  const localApi = createLocalHttpServer({ api, adminToken: pki.adminToken, bindAddress: flags.bindAddress, port: flags.port, metrics });
  const clientOptions = { server: url, caPem: pki.ca.certPem, token: pki.adminToken, connect: () => connectInProcess(localApi) };
  const client = new ApiClient({ ...clientOptions, userAgent: 'skiff-controller-manager' });
  // One set of informers for every component of this process: each kind is listed and cached once.
  const informers = new InformerFactory(client, { transform: stripManagedFields });
  informers.start(stop.signal);
  const controllerManager = flags.disableControllerManager
    ? Promise.resolve()
    : runControllerManager(
        client,
        informers,
        {
          clusterCidr: flags.clusterCidr,
          serviceCidr: flags.serviceCidr,
          nodeCidrMaskSize: 24,
          nodeMonitorGracePeriodSeconds: flags.nodeMonitorGracePeriodSeconds,
          controllers: flags.controllers,
        },
        stop.signal,
      );
  // The scheduler shares the process's informers: one cache of pods and nodes, not two, and no
  // second decoding of every pod event (a thread of its own cost 100 MB at 10,000 pods and was
  // slower at 5,000 nodes). Its requests carry its own user agent.
  const schedulerClient = new ApiClient({ ...clientOptions, userAgent: 'skiff-scheduler' });
  const scheduler = flags.disableScheduler ? Promise.resolve() : runScheduler(schedulerClient, stop.signal, informers);
  process.stdout.write(
    `skiff server is ready at ${url} (Kubernetes ${'v1.35'} API)\nadmin kubeconfig: ${written.join(', ')}\ntry: skiff kubectl get namespaces\n`,
  );

  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      process.stdout.write(`received ${sig}, stopping\n`);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const forced = setTimeout(() => {
    log.warning('Shutdown took longer than 5 s, exiting');
    process.exit(1);
  }, 4500);
  forced.unref();
  stop.abort();
  // Components release their leases while the server still answers.
  await Promise.race([Promise.all([controllerManager, scheduler]), new Promise((r) => setTimeout(r, 2000))]);
  client.close();
  schedulerClient.close();
  http.close();
  http.closeAllConnections();
  localApi.close();
  localApi.closeAllConnections();
  api.close();
  await backend.close();
  clearTimeout(forced);
  return 0;
}
