// @kubernetes/client-node 2.x against a real skiff server. The client needs Node >= 22.19 (undici 8)
// while skiff runs on Node 20, so this starts the server here and runs the client's suite
// (test/fixtures/client-node/suite.ts) in a child Node that can load it, one subtest per result.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clientNodeRuntime, startServer, type ClientTool, type TestServer } from './support/index.js';
import { errorMessage } from '../src/lang/index.js';

const runtime = clientNodeInstalled() ?? (await clientNodeRuntime());
if (runtime.skip !== false) console.log(`# skipping @kubernetes/client-node tests: ${runtime.skip}`);
const suite = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'client-node', 'suite.js');

interface ChildResult {
  readonly name: string;
  readonly ok: boolean;
  readonly directive: string | undefined;
  readonly details: string;
}

describe('@kubernetes/client-node', { skip: runtime.skip }, () => {
  let server: TestServer;
  before(async () => {
    // Workloads are read back exactly as written: no controller acts on them here.
    server = await startServer({ extraArgs: ['--controllers=*,-deployment-controller,-replicaset-controller,-replicationcontroller-controller'] });
    // A restarted server's watch windows begin at the revision it restarted at, as kube-apiserver's
    // do; the suite relies on that to watch from a resourceVersion that is too old.
    await server.restart();
  });
  after(async () => server?.stop());

  test(`its suite passes (Node ${runtime.skip === false ? runtime.version : '?'})`, { timeout: 240_000 }, async (t) => {
    const run = await runSuite(runtime.bin ?? process.execPath, server.kubeconfig, 180_000);
    const results = parseResults(run.output);
    assert.ok(results.length > 0, `the suite reported no results (exit ${run.exit}):\n${run.output}`);
    for (const result of results) {
      await t.test(result.name, () => {
        // A skipped or todo test of the suite proves nothing: it fails here.
        assert.equal(result.directive, undefined, `${result.name} was not run to the end under client-node (${result.directive ?? ''})`);
        assert.ok(result.ok, `${result.name} failed under client-node:\n${result.details}`);
      });
    }
    assert.equal(run.exit, 0, `the client-node suite failed:\n${run.output}`);
  });
});

/** Why the suite cannot run when the package itself is missing (a production install), else undefined. */
function clientNodeInstalled(): ClientTool | undefined {
  try {
    import.meta.resolve('@kubernetes/client-node');
    return undefined;
  } catch (error) {
    return { skip: `@kubernetes/client-node is not installed: ${errorMessage(error)}` };
  }
}

/** Runs the suite with the TAP reporter; its whole output and exit code. */
function runSuite(node: string, kubeconfig: string, timeoutMs: number): Promise<{ output: string; exit: number | string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--test-reporter=tap', suite], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', SKIFF_TEST_KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ output, exit: code ?? `signal ${signal ?? '?'}` });
    });
  });
}

/** The results of the suite's tests (one level inside its describe) from TAP output, with their YAML details. */
function parseResults(tap: string): ChildResult[] {
  const lines = tap.split('\n');
  const results: ChildResult[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^ {4}(not )?ok \d+ - (.*?)(?: # (SKIP|TODO)(.*))?$/.exec(lines[i] ?? '');
    if (match === null) continue;
    const details: string[] = [];
    for (let j = i + 1; j < lines.length && (lines[j] ?? '').startsWith('      '); j++) details.push(lines[j] ?? '');
    results.push({
      name: match[2] ?? '',
      ok: match[1] === undefined,
      directive: match[3] === undefined ? undefined : `${match[3]}${match[4] ?? ''}`,
      details: details.join('\n'),
    });
  }
  return results;
}
