// The controller manager: every controller of the cluster, started together on shared informers
// while this process holds the kube-controller-manager lease.
import { setMaxListeners } from 'node:events';
import { EventRecorder, runWithLeaderElection, type ApiClient, type InformerFactory } from '../client/index.js';
import type { ControllerConfig, ControllerContext } from './shared/index.js';
import { CronJobController } from './cronjob/index.js';
import { DaemonSetController } from './daemonset/index.js';
import { DeploymentController } from './deployment/index.js';
import { DisruptionController } from './disruption/index.js';
import { EndpointsController, EndpointSliceController } from './endpoints/index.js';
import { GarbageCollector } from './garbage-collector/index.js';
import { HorizontalPodAutoscalerController } from './hpa/index.js';
import { JobController, TtlAfterFinishedController } from './job/index.js';
import { NamespaceController } from './namespace/index.js';
import { NodeIpamController, NodeLifecycleController, TaintEvictionController } from './node/index.js';
import { ReplicaSetController, replicationControllerKind } from './replicaset/index.js';
import { ResourceQuotaController } from './resourcequota/index.js';
import { ServiceAccountController } from './serviceaccount/index.js';
import { StatefulSetController } from './statefulset/index.js';

export type { ControllerContext, ControllerConfig } from './shared/index.js';

/** Every controller by its kube-controller-manager name, for --controllers. */
const controllers: Readonly<Record<string, (ctx: ControllerContext, signal: AbortSignal) => Promise<void>>> = {
  'garbage-collector-controller': (ctx, signal) => new GarbageCollector(ctx).run(signal),
  'namespace-controller': (ctx, signal) => new NamespaceController(ctx).run(signal),
  'endpoints-controller': (ctx, signal) => new EndpointsController(ctx).run(signal),
  'endpointslice-controller': (ctx, signal) => new EndpointSliceController(ctx).run(signal),
  'replicaset-controller': (ctx, signal) => new ReplicaSetController(ctx).run(signal),
  'replicationcontroller-controller': (ctx, signal) => new ReplicaSetController(ctx, replicationControllerKind).run(signal),
  'deployment-controller': (ctx, signal) => new DeploymentController(ctx).run(signal),
  'node-ipam-controller': (ctx, signal) => new NodeIpamController(ctx).run(signal),
  'node-lifecycle-controller': (ctx, signal) => new NodeLifecycleController(ctx).run(signal),
  'taint-eviction-controller': (ctx, signal) => new TaintEvictionController(ctx).run(signal),
  'serviceaccount-controller': (ctx, signal) => new ServiceAccountController(ctx).run(signal),
  'resourcequota-controller': (ctx, signal) => new ResourceQuotaController(ctx).run(signal),
  'disruption-controller': (ctx, signal) => new DisruptionController(ctx).run(signal),
  'horizontal-pod-autoscaler-controller': (ctx, signal) => new HorizontalPodAutoscalerController(ctx).run(signal),
  'job-controller': (ctx, signal) => new JobController(ctx).run(signal),
  'ttl-after-finished-controller': (ctx, signal) => new TtlAfterFinishedController(ctx).run(signal),
  'cronjob-controller': (ctx, signal) => new CronJobController(ctx).run(signal),
  'statefulset-controller': (ctx, signal) => new StatefulSetController(ctx).run(signal),
  'daemonset-controller': (ctx, signal) => new DaemonSetController(ctx).run(signal),
};

/**
 * Whether --controllers enables the named one: named wins over '-named', which wins over '*'.
 * The short names of older releases (`deployment` for `deployment-controller`) are accepted too.
 */
export function controllerEnabled(name: string, list: readonly string[] = ['*']): boolean {
  const names = [name, name.replace(/-controller$/, '')];
  if (names.some((n) => list.includes(n))) return true;
  if (names.some((n) => list.includes(`-${n}`))) return false;
  return list.includes('*');
}

/** Starts the enabled controllers on the context's informers; they run until the signal aborts. */
export function startControllers(ctx: ControllerContext, signal: AbortSignal): Promise<void>[] {
  return Object.entries(controllers)
    .filter(([name]) => controllerEnabled(name, ctx.config.controllers))
    .map(([, start]) => start(ctx, signal));
}

/**
 * Runs the controller manager under leader election: with several servers on one datastore only
 * the lease holder's controllers act. The informers may be shared with other components of the
 * process, so each kind is cached once. Resolves once the signal aborts
 * and the lease is released.
 */
export async function runControllerManager(client: ApiClient, informers: InformerFactory, config: ControllerConfig, signal: AbortSignal): Promise<void> {
  await runWithLeaderElection(
    client,
    { name: 'kube-controller-manager' },
    async (leading) => {
      // Every controller and informer waits on this one signal.
      setMaxListeners(0, leading);
      const recorders = new Map<string, EventRecorder>();
      const ctx: ControllerContext = {
        client,
        informers,
        config,
        recorder: (component) => {
          let r = recorders.get(component);
          if (!r) recorders.set(component, (r = new EventRecorder(client, component)));
          return r;
        },
      };
      const running = startControllers(ctx, leading);
      await Promise.all(running);
    },
    signal,
  );
}
