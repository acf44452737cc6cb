// Checks the compaction timer against the in-memory backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactOnce, startAutoCompaction } from './auto-compaction.js';
import { createMemoryBackend } from './memory-backend.js';

async function backendWithRevisions(count: number) {
  const backend = createMemoryBackend();
  const first = await backend.create('/registry/configmaps/default/a', '0');
  let modRevision = first.modRevision;
  for (let i = 1; i < count; i++) {
    modRevision = (await backend.update('/registry/configmaps/default/a', `${i}`, modRevision)).modRevision;
  }
  return backend;
}

void test('compactOnce keeps the newest revisions and does nothing when none are due', async () => {
  const backend = await backendWithRevisions(30);
  assert.equal(await compactOnce(backend, 10), 20);
  assert.equal(await backend.compactRevision(), 20);
  assert.equal(await compactOnce(backend, 10), undefined);
  assert.equal(await compactOnce(backend, 100), undefined);
  assert.equal(await backend.compactRevision(), 20);
  await backend.close();
});

void test('auto compaction runs every interval and stops when aborted', { timeout: 3000 }, async () => {
  const backend = await backendWithRevisions(12);
  const controller = new AbortController();
  const stopped = startAutoCompaction(backend, { intervalMs: 5, keepRevisions: 2 }, controller.signal);
  while ((await backend.compactRevision()) !== 10) await new Promise((resolve) => setTimeout(resolve, 5));

  controller.abort();
  await stopped;
  await backend.create('/registry/configmaps/default/b', 'b');
  await backend.create('/registry/configmaps/default/c', 'c');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(await backend.compactRevision(), 10, 'no round after abort');
  await backend.close();
});

void test('auto compaction reports a failed round and keeps going', { timeout: 3000 }, async () => {
  const backend = await backendWithRevisions(5);
  await backend.close();
  const errors: unknown[] = [];
  const controller = new AbortController();
  const stopped = startAutoCompaction(
    backend,
    { intervalMs: 5, keepRevisions: 1, onError: (error) => errors.push(error) },
    controller.signal,
  );
  while (errors.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  await stopped;
});
