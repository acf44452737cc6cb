import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyExistsError } from './backend.js';
import { instrumentBackend } from './instrumented-backend.js';
import { createMemoryBackend } from './memory-backend.js';

test('every storage call is reported with its operation and key, failures too', async () => {
  const seen: string[] = [];
  const backend = instrumentBackend(createMemoryBackend(), (operation, key, seconds) => {
    assert.ok(seconds >= 0);
    seen.push(`${operation} ${key}`);
  });
  const kv = await backend.create('/registry/core/pods/a/p', '{}');
  await assert.rejects(backend.create('/registry/core/pods/a/p', '{}'), KeyExistsError);
  await backend.update('/registry/core/pods/a/p', '{"x":1}', kv.modRevision);
  assert.equal((await backend.get('/registry/core/pods/a/p'))?.value, '{"x":1}');
  assert.equal((await backend.list('/registry/core/pods/')).items.length, 1);
  assert.equal(await backend.count('/registry/core/pods/'), 1);
  await backend.delete('/registry/core/pods/a/p');
  assert.deepEqual(seen, [
    'create /registry/core/pods/a/p',
    'create /registry/core/pods/a/p',
    'update /registry/core/pods/a/p',
    'get /registry/core/pods/a/p',
    'list /registry/core/pods/',
    'count /registry/core/pods/',
    'delete /registry/core/pods/a/p',
  ]);
  await backend.close();
});
