// The official Python client (Debian's python3-kubernetes) against a real skiff server: the project's
// script test/fixtures/python/client_roundtrip.py lists, creates, patches, fails, deletes and watches
// through kubernetes.client with the server's kubeconfig and prints one JSON line per step.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { python3Kubernetes, repoRoot, startServer, type TestServer } from './support/index.js';

const python = await python3Kubernetes();
if (python.skip !== false) console.log(`# skipping Python client tests: ${python.skip}`);
const script = path.join(repoRoot(), 'test', 'fixtures', 'python', 'client_roundtrip.py');

describe('Python kubernetes client', { skip: python.skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    // A restarted server's watch windows begin at the revision it restarted at, as kube-apiserver's
    // do; the script relies on that to watch from a resourceVersion that is too old.
    await server.restart();
  });
  after(async () => server?.stop());

  test(`list, create, patch, errors, delete and watch (kubernetes ${python.skip === false ? python.version : '?'})`, { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)(python.bin ?? 'python3', [script, server.kubeconfig, 'python'], {
      timeout: 90_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: server.dataDir },
    });
    const steps = new Map<string, Record<string, unknown>>();
    for (const line of stdout.trim().split('\n')) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      steps.set(String(parsed.step), parsed);
    }
    const step = (name: string): Record<string, unknown> => {
      const found = steps.get(name);
      assert.ok(found, `the script printed no ${name} step:\n${stdout}`);
      return found;
    };

    assert.deepEqual(step('list-namespaces').names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.deepEqual(step('create'), {
      step: 'create',
      name: 'py-settings',
      namespace: 'python',
      data: { mode: 'fast' },
      has_uid: true,
      created_type: 'datetime',
    });
    assert.deepEqual(step('list-selector').names, ['py-settings']);
    assert.deepEqual(step('patch-strategic').data, { mode: 'fast', color: 'red' });
    assert.deepEqual(step('patch-json').data, { mode: 'slow', color: 'red' });
    assert.deepEqual(step('patch-merge').data, { mode: 'slow' });
    assert.deepEqual(step('read-missing'), { step: 'read-missing', status: 404, reason: 'NotFound', message: 'configmaps "missing" not found' });
    assert.deepEqual(step('create-duplicate'), {
      step: 'create-duplicate',
      status: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "py-settings" already exists',
    });
    assert.equal(step('scale').replicas, 2);
    assert.deepEqual(step('deployment'), { step: 'deployment', replicas: 2, strategy: 'RollingUpdate', pull_policy: 'IfNotPresent' });
    // As kube-apiserver does (see kubectl patch's docs), the patch's new item comes before the kept ones.
    assert.deepEqual(step('containers-strategic').names, ['sidecar', 'app']);
    assert.deepEqual(step('containers-merge').names, ['sidecar']);
    assert.equal(step('delete').status, 'Success');

    const events = step('watch').events as [string, string, string][];
    assert.deepEqual(
      events.map(([type, name]) => `${type} ${name}`),
      ['ADDED py-settings', 'MODIFIED py-settings', 'MODIFIED py-settings', 'MODIFIED py-settings', 'DELETED py-settings'],
    );
    const versions = events.map(([, , rv]) => BigInt(rv));
    assert.ok(
      versions.every((v, i) => i === 0 || v > versions[i - 1]!),
      `resourceVersions increase: ${versions.join(' ')}`,
    );
    assert.equal(steps.get('watch-expired-event'), undefined, 'an expired watch delivers no events');
    const expired = step('watch-expired');
    assert.equal(expired.status, 410);
    assert.match(String(expired.reason), /^Expired: too old resource version: 1 \(\d+\)$/);

    assert.deepEqual(step('dynamic'), {
      step: 'dynamic',
      namespaced: true,
      short_names: ['deploy'],
      subresources: ['scale', 'status'],
      data: { a: '1', b: '2' },
      deployments: ['py-app'],
      deleted: 'Success',
    });
  });
});
