// Runs the bundled kubectl through runKubectl without a server: the kubeconfig it is given wins over
// the environment, input reaches it, failures are reported and a hanging kubectl is killed.

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clientPath, kubectl135 } from './clients.js';
import { runKubectl } from './kubectl.js';

let dir = '';
let kubeconfig = '';
let kubectl = '';

function config(context: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
    'users: [{name: u, user: {token: not-used}}]',
    `contexts: [{name: ${context}, context: {cluster: c, user: u}}]`,
    `current-context: ${context}`,
    '',
  ].join('\n');
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'skiff-kubectl-'));
  kubeconfig = path.join(dir, 'kubeconfig.yaml');
  await writeFile(kubeconfig, config('chosen'));
  kubectl = clientPath(await kubectl135());
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('uses the given kubeconfig, not the inherited KUBECONFIG', async () => {
  const other = path.join(dir, 'other.yaml');
  await writeFile(other, config('inherited'));
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = other;
  try {
    const result = await runKubectl(kubectl, kubeconfig, ['config', 'current-context']);
    assert.deepEqual(result, { code: 0, stdout: 'chosen\n', stderr: '' });
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
  assert.equal((await readdir(path.join(dir, '.kubectl-home'))).length, 1, 'one home per binary');
});

test('feeds stdin', async () => {
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
  const args = ['label', '--local', '-f', '-', 'tier=web', '-o', 'jsonpath={.metadata.labels.tier}'];
  const result = await runKubectl(kubectl, kubeconfig, args, { stdin: manifest });
  assert.deepEqual(result, { code: 0, stdout: 'web', stderr: '' });
});

test('reports the exit code and stderr of a failing command', async () => {
  const result = await runKubectl(kubectl, kubeconfig, ['config', 'use-context', 'missing']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no context exists with the name: "missing"/);
});

test('kills kubectl at the timeout and fails', async () => {
  const started = Date.now();
  await assert.rejects(
    runKubectl(kubectl, kubeconfig, ['proxy', '--port=0', '--address=127.0.0.1'], { timeoutMs: 1_000 }),
    /did not finish within 1000 ms[\s\S]*Starting to serve/,
  );
  assert.ok(Date.now() - started < 10_000);
});
