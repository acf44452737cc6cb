// Starts a list of components in order, each once the one before is ready, and stops them in
// the reverse order: the scheduler and controllers release their leases while the API server
// still answers, and storage closes last.
import { setMaxListeners } from 'node:events';
import { log } from '../log/index.js';
import type { Component, StartedComponent } from './component.js';
import type { HealthChecks } from './health-checks.js';

export interface RunningComponents {
  /** Stops every component, last started first; those still busy after `graceMs` in all are left behind. */
  stop(graceMs?: number): Promise<void>;
}

export async function startComponents<Deps extends { readonly health: HealthChecks }>(
  components: readonly Component<Deps>[],
  deps: Deps,
): Promise<RunningComponents> {
  const running: { name: string; controller: AbortController; started: StartedComponent }[] = [];
  const stop = async (graceMs = 3000): Promise<void> => {
    const deadline = Date.now() + graceMs;
    for (const { name, controller, started } of running.reverse()) {
      controller.abort();
      if (!started.stopped) continue;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()))));
      if ((await Promise.race([started.stopped, late])) === 'late') log.warning('Component did not stop in time', { component: name });
      clearTimeout(timer);
    }
    running.length = 0;
  };
  for (const component of components) {
    const controller = new AbortController();
    // Each of a component's informers, watches and workers waits on its one signal: their number
    // grows with the component, so Node's leak warning at 10 listeners does not apply.
    setMaxListeners(0, controller.signal);
    try {
      const started = await component.start(controller.signal, deps);
      running.push({ name: component.name, controller, started });
      deps.health.add(started.checks ?? []);
      log.v(2, 'Component started', { component: component.name });
    } catch (err) {
      controller.abort();
      await stop();
      throw err;
    }
  }
  return { stop };
}

/** Resolves once the signal aborts: where a component's `stopped` begins. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
