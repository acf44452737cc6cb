// `skiff server`: composes the server's components (storage, API server, controller manager,
// scheduler, node agent, and the add-ons as they arrive), each switched off by its k3s flag, and
// runs them until SIGINT or SIGTERM, which stop them in reverse order within 5 s.
import { startComponents, type Component } from '../component/index.js';
import { Logger, log, setLogger } from '../log/index.js';
import { agentComponent } from './server/agent-component.js';
import { apiServerComponent } from './server/api-server-component.js';
import { controllerManagerComponent, schedulerComponent } from './server/control-loop-components.js';
import { serverDeps, type ServerDeps } from './server/server-deps.js';
import { parseServerFlags, serverHelp, type ServerFlags } from './server/server-flags.js';
import { storageComponent } from './server/storage-component.js';
import { startIdleCollector } from './idle-collector.js';

/** The components of `skiff server`, in start order, less the ones the flags switch off. */
function serverComponents(flags: ServerFlags): Component<ServerDeps>[] {
  return [
    storageComponent,
    apiServerComponent,
    ...(flags.disableControllerManager ? [] : [controllerManagerComponent]),
    ...(flags.disableScheduler ? [] : [schedulerComponent]),
    ...(flags.disableAgent ? [] : [agentComponent]),
    // The add-ons (dns, ingress, registry, dashboard) join here, each unless flags.disable names it.
  ];
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
  const deps = await serverDeps(flags);
  const server = await startComponents(serverComponents(flags), deps);
  const { url, kubeconfigs } = deps.provided.need('cluster');
  process.stdout.write(
    `skiff server is ready at ${url} (Kubernetes v1.35 API)\nadmin kubeconfig: ${kubeconfigs.join(', ')}\ntry: skiff kubectl get namespaces\n`,
  );

  const sig = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write(`received ${sig}, stopping\n`);
  const forced = setTimeout(() => {
    log.warning('Shutdown took longer than 5 s, exiting');
    process.exit(1);
  }, 4500);
  forced.unref();
  await server.stop();
  clearTimeout(forced);
  return 0;
}
