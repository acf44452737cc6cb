// Public entry of the scheduler: the Scheduler component and runScheduler, which runs it under the
// kube-scheduler Lease so that several servers on one datastore schedule each pod once.
import { EventRecorder, InformerFactory, runWithLeaderElection, stripManagedFields, type ApiClient } from '../client/index.js';
import { Scheduler, defaultSchedulerName } from './scheduler.js';

export { Scheduler, defaultSchedulerName, type SchedulerContext } from './scheduler.js';

/**
 * Runs the scheduler while this process holds the kube-system/kube-scheduler lease; resolves after the
 * signal aborts. With `informers` (started by the caller) it shares their caches with the other
 * components of the process; without, it lists and watches on its own.
 */
export async function runScheduler(client: ApiClient, signal: AbortSignal, informers?: InformerFactory): Promise<void> {
  await runWithLeaderElection(
    client,
    { name: 'kube-scheduler' },
    async (leading) => {
      const factory = informers ?? new InformerFactory(client, { transform: stripManagedFields });
      const scheduler = new Scheduler({ client, informers: factory, recorder: new EventRecorder(client, defaultSchedulerName) });
      if (!informers) factory.start(leading);
      await scheduler.run(leading);
    },
    signal,
  );
}

export { SchedulerCache } from './scheduler-cache.js';
export { SchedulingAlgorithm } from './scheduling-algorithm.js';
export { newPodInfo } from './pod-info.js';
