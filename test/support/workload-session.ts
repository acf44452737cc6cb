// kubectl helpers for the workload controller tests, on kubectlSession: variadic commands, polling
// any probe with a bound, pod names by selector, and a kubelet stand-in that sets pod phases and
// readiness through pods/status, for tests that run without nodes.
import assert from 'node:assert/strict';
import type { ClientTool } from './clients.js';
import type { KubectlResult } from './kubectl.js';
import { kubectlSession } from './kubectl-session.js';

export interface WorkloadSession {
  /** kubectl with these arguments (and standard input), whatever its exit code. */
  readonly run: (args: string[], stdin?: string) => Promise<KubectlResult>;
  /** kubectl that must succeed; answers its standard output. */
  readonly k: (...args: string[]) => Promise<string>;
  readonly apply: (yaml: string) => Promise<void>;
  /** Polls until the probe answers something, failing after `ms` (30 s by default). */
  readonly until: <T>(what: string, probe: () => Promise<T | undefined>, ms?: number) => Promise<T>;
  readonly podNames: (namespace: string, selector: string) => Promise<string[]>;
  /** As a kubelet would report it: the phase, Ready when Running, a container `main` with its exit code when finished. */
  readonly setPodPhase: (namespace: string, pod: string, phase: 'Running' | 'Succeeded' | 'Failed', exitCode?: number) => Promise<void>;
  /** Fails unless the object's resourceVersion stays put for a while: a settled controller leaves it alone. */
  readonly assertQuiet: (object: string, namespace: string) => Promise<void>;
}

/** kubectlSession's run and k, with the polling, pod and status helpers the workload tests share. */
export function workloadSession(kubectl: ClientTool, kubeconfig: () => string): WorkloadSession {
  const session = kubectlSession(kubectl, kubeconfig);
  const k = (...args: string[]) => session.k(args);
  return {
    run: session.run,
    k,
    apply: async (yaml) => {
      await session.k(['apply', '-f', '-'], yaml);
    },
    until: async (what, probe, ms = 30_000) => {
      const deadline = Date.now() + ms;
      let last: unknown;
      for (;;) {
        const v = await probe().catch((e: unknown) => ((last = e), undefined));
        if (v !== undefined) return v;
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    podNames: async (namespace, selector) => {
      const out = await k('get', 'pods', '-n', namespace, '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}');
      return out.split('\n').filter(Boolean).sort();
    },
    setPodPhase: async (namespace, pod, phase, exitCode = phase === 'Failed' ? 1 : 0) => {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const finished = phase !== 'Running';
      const status = {
        phase,
        conditions: [{ type: 'Ready', status: finished ? 'False' : 'True', lastTransitionTime: now }],
        containerStatuses: [
          {
            name: 'main',
            image: 'busybox',
            imageID: '',
            ready: !finished,
            restartCount: 0,
            state: finished
              ? { terminated: { exitCode, startedAt: now, finishedAt: now, reason: phase === 'Failed' ? 'Error' : 'Completed' } }
              : { running: { startedAt: now } },
          },
        ],
      };
      await k('patch', 'pod', pod, '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status }));
    },
    assertQuiet: async (object, namespace) => {
      const version = () => k('get', object, '-n', namespace, '-o', 'jsonpath={.metadata.resourceVersion}');
      const before = await version();
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await version(), before, `${object} keeps changing`);
    },
  };
}
