// Runs the storage conformance suite against the etcd backend on a real etcd (one per test, so
// every test starts from revision 1), plus what only etcd has: failover, endpoint errors and the
// compaction guard shared between servers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEtcd } from '../../../test/support/etcd.js';
import { StorageError } from '../backend.js';
import { openBackend } from '../backend-registry.js';
import { runConformanceSuite } from '../conformance.test-support.js';
import { compactRound, EtcdBackend, parseEndpoints } from './index.js';

runConformanceSuite('etcd', async () => {
  const etcd = await startEtcd();
  try {
    const backend = await EtcdBackend.open({ endpoints: [etcd.target] });
    return { backend, reopen: () => EtcdBackend.open({ endpoints: [etcd.target] }), cleanup: () => etcd.stop() };
  } catch (error) {
    await etcd.stop();
    throw error;
  }
});

void test('endpoints parse from http URLs and malformed ones are named', () => {
  assert.deepEqual(parseEndpoints('http://127.0.0.1:2379,http://localhost:22379'), ['127.0.0.1:2379', 'localhost:22379']);
  assert.throws(() => parseEndpoints('127.0.0.1:2379'), /malformed etcd endpoint "127.0.0.1:2379"/);
  assert.throws(() => parseEndpoints('https://127.0.0.1:2379'), /only http:\/\//);
  assert.throws(() => parseEndpoints('http://127.0.0.1'), /expected http:\/\/HOST:PORT/);
  assert.throws(() => parseEndpoints('http://127.0.0.1:2379,'), /malformed etcd endpoint list/);
});

void test('the registry opens etcd by name; an unreachable endpoint is skipped, none reachable fails', async () => {
  const etcd = await startEtcd();
  try {
    const backend = await openBackend('etcd', { endpoints: ['127.0.0.1:1', etcd.target] });
    try {
      assert.equal(backend.name, 'etcd');
      const created = await backend.create('/registry/pods/default/a', 'a');
      assert.equal((await backend.get('/registry/pods/default/a'))?.modRevision, created.modRevision);
    } finally {
      await backend.close();
    }
    await assert.rejects(openBackend('etcd', { endpoints: ['127.0.0.1:1'] }), (error: unknown) => {
      return error instanceof StorageError && /etcd unreachable at 127\.0\.0\.1:1/.test(error.message);
    });
  } finally {
    await etcd.stop();
  }
});

void test('two servers share compaction rounds through the guard key: one compacts per interval', async () => {
  const etcd = await startEtcd();
  const first = await EtcdBackend.open({ endpoints: [etcd.target] });
  const second = await EtcdBackend.open({ endpoints: [etcd.target] });
  try {
    let a = await first.create('/registry/pods/default/a', '0');
    let stateA = await compactRound(first, { version: 0, revision: 0 });
    let stateB = await compactRound(second, { version: 0, revision: 0 });
    // The second server lost the round and adopted the guard key's clock.
    assert.equal(stateA.version, 1);
    assert.equal(stateB.version, 1);
    assert.equal(await first.compactRevision(), 0);
    for (let i = 1; i <= 3; i++) a = await first.update('/registry/pods/default/a', String(i), a.modRevision);
    const seen = stateA.revision;
    stateA = await compactRound(first, stateA);
    assert.equal(await second.compactRevision(), seen);
    // The second server's round at the same clock loses, so the interval is not compacted twice.
    stateB = await compactRound(second, stateB);
    assert.equal(stateB.version, 2);
    assert.equal(await second.compactRevision(), seen);
  } finally {
    await first.close();
    await second.close();
    await etcd.stop();
  }
});
