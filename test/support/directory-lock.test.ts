// Checks the directory lock: mutual exclusion, release on failure, and taking over abandoned locks.

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { withDirectoryLock } from './directory-lock.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'skiff-lock-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('holders of one lock never overlap', async () => {
  const lock = path.join(dir, 'serial.lock');
  const events: string[] = [];
  const holder = (name: string) =>
    withDirectoryLock(lock, async () => {
      events.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push(`${name} out`);
      return name;
    });
  assert.deepEqual(await Promise.all([holder('a'), holder('b'), holder('c')]), ['a', 'b', 'c']);
  for (let i = 0; i < events.length; i += 2) {
    const name = events[i]?.split(' ')[0];
    assert.deepEqual(events.slice(i, i + 2), [`${name} in`, `${name} out`]);
  }
  assert.equal(existsSync(lock), false);
});

test('a failing action releases the lock', async () => {
  const lock = path.join(dir, 'failing.lock');
  await assert.rejects(
    withDirectoryLock(lock, async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await withDirectoryLock(lock, async () => 'next'), 'next');
});

test('a lock whose owner died is taken over', async () => {
  const lock = path.join(dir, 'dead.lock');
  const finished = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(finished.pid > 0);
  await mkdir(lock);
  await writeFile(path.join(lock, 'pid'), String(finished.pid));
  const started = Date.now();
  assert.equal(await withDirectoryLock(lock, async () => 'taken'), 'taken');
  assert.ok(Date.now() - started < 5_000);
});

test('a live owner is waited for, a stale lock without owner is taken over', async () => {
  const lock = path.join(dir, 'stale.lock');
  await mkdir(lock);
  let resolved = false;
  const waiting = withDirectoryLock(lock, async () => (resolved = true), 1_000);
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(resolved, false, 'a fresh lock without a pid is still held');
  const past = new Date(Date.now() - 60_000);
  await utimes(lock, past, past);
  await waiting;
  assert.equal(resolved, true);
});
