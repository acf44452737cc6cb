// kubectl against one test server, the way controller tests drive it: run and capture, run and
// insist on success, and re-run until the output shows what a controller was expected to do.
import assert from 'node:assert/strict';
import { clientPath, type ClientTool } from './clients.js';
import { runKubectl, type KubectlResult } from './kubectl.js';

export interface KubectlSession {
  /** Runs kubectl; answers whatever it printed and its exit code. */
  readonly run: (args: readonly string[], stdin?: string) => Promise<KubectlResult>;
  /** Runs kubectl, fails the test unless it exits 0, answers its stdout. */
  readonly k: (args: readonly string[], stdin?: string) => Promise<string>;
  /** Re-runs kubectl (every 200 ms, for at most `ms`) until stdout+stderr pass the check; answers that output. */
  readonly until: (what: string, args: readonly string[], check: (out: string) => boolean, ms?: number) => Promise<string>;
}

/** The client and `kubeconfig` are resolved at each call, so a session can be made before its server starts (or for a skipped client). */
export function kubectlSession(kubectl: ClientTool, kubeconfig: () => string): KubectlSession {
  const run = (args: readonly string[], stdin?: string) => runKubectl(clientPath(kubectl), kubeconfig(), args, stdin === undefined ? {} : { stdin });
  return {
    run,
    k: async (args, stdin) => {
      const r = await run(args, stdin);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    until: async (what, args, check, ms = 20_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const r = await run(args);
        const out = r.stdout + r.stderr;
        if (check(out)) return out;
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last output: ${out}`);
        await new Promise((res) => setTimeout(res, 200));
      }
    },
  };
}
