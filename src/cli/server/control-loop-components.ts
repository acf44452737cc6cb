// The controller manager and the scheduler as server components. Each runs under its Lease (only
// one server's copy acts), on the process's shared informers, and is healthy while its loop runs:
// what `kubectl get cs` reports for them.
import type { HealthCheck, StartedComponent } from '../../component/index.js';
import { type Component } from '../../component/index.js';
import { runControllerManager } from '../../controllers/index.js';
import { runScheduler } from '../../scheduler/index.js';
import type { ServerDeps } from './server-deps.js';
import { errorMessage } from '../../lang/index.js';

export const controllerManagerComponent: Component<ServerDeps> = {
  name: 'controller-manager',
  start(signal, { flags, provided }) {
    const { client, informers } = provided.need('cluster');
    const config = {
      clusterCidr: flags.clusterCidr,
      serviceCidr: flags.serviceCidr,
      nodeCidrMaskSize: 24,
      nodeMonitorGracePeriodSeconds: flags.nodeMonitorGracePeriodSeconds,
      controllers: flags.controllers,
    };
    return Promise.resolve(controlLoop('controller-manager', signal, runControllerManager(client('skiff-controller-manager'), informers, config, signal)));
  },
};

// The scheduler shares the process's informers: one cache of pods and nodes, not two, and no
// second decoding of every pod event (a thread of its own cost 100 MB at 10,000 pods and was
// slower at 5,000 nodes). Its requests carry its own user agent.
export const schedulerComponent: Component<ServerDeps> = {
  name: 'scheduler',
  start(signal, { provided }) {
    const { client, informers } = provided.need('cluster');
    return Promise.resolve(controlLoop('scheduler', signal, runScheduler(client('skiff-scheduler'), signal, informers)));
  },
};

/** A loop that should run until the signal aborts: unhealthy, with the reason, if it ends before. */
function controlLoop(name: string, signal: AbortSignal, running: Promise<void>): StartedComponent {
  let ended: string | undefined;
  const stopped = running.then(
    () => {
      if (!signal.aborted) ended = `the ${name} stopped`;
    },
    (err: unknown) => {
      ended = `the ${name} failed: ${errorMessage(err)}`;
    },
  );
  const check: HealthCheck = {
    name,
    endpoints: ['healthz', 'readyz'],
    componentStatus: name,
    check: () => {
      if (ended !== undefined) throw new Error(ended);
    },
  };
  return { checks: [check], stopped };
}
