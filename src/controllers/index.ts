// The controller manager: every controller of the cluster, started together on shared informers
// while this process holds the kube-controller-manager lease.
import { EventRecorder, runWithLeaderElection, type ApiClient, type InformerFactory } from '../client/index.js';
import type { ControllerConfig, ControllerContext } from './controller-context.js';
import { NamespaceController } from './namespace-controller.js';
import { NodeIpamController } from './node-ipam-controller.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import { DisruptionController } from './disruption-controller.js';
import { HorizontalPodAutoscalerController } from './horizontal-pod-autoscaler-controller.js';
import { ResourceQuotaController } from './resource-quota-controller.js';
import { ServiceAccountController } from './service-account-controller.js';

export type { ControllerContext, ControllerConfig } from './controller-context.js';

/** Starts the controllers on the context's informers; they run until the signal aborts. */
export function startControllers(ctx: ControllerContext, signal: AbortSignal): Promise<void>[] {
  return [
    new NamespaceController(ctx.client).start(signal),
    new NodeIpamController(ctx).run(signal),
    new NodeLifecycleController(ctx).run(signal),
    new TaintEvictionController(ctx).run(signal),
    new ServiceAccountController(ctx).run(signal),
    new ResourceQuotaController(ctx).run(signal),
    new DisruptionController(ctx).run(signal),
    new HorizontalPodAutoscalerController(ctx).run(signal),
  ];
}

/**
 * Runs the controller manager under leader election: with several servers on one datastore only
 * the lease holder's controllers act. The informers may be shared with other components of the
 * process (the scheduler), so a cluster's pods are cached once. Resolves once the signal aborts
 * and the lease is released.
 */
export async function runControllerManager(client: ApiClient, informers: InformerFactory, config: ControllerConfig, signal: AbortSignal): Promise<void> {
  await runWithLeaderElection(
    client,
    { name: 'kube-controller-manager' },
    async (leading) => {
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
