// Runs the storage conformance suite against the SQLite backend, plus what only SQLite has:
// the database-level lost-update guard and the single-process lock on the file.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { StorageError } from '../backend.js';
import { openBackend } from '../backend-registry.js';
import { runConformanceSuite } from '../conformance.test-support.js';
import { openSqliteBackend } from './index.js';

async function temporaryFile(): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
  return { file: join(dir, 'nested', 'state.db'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

runConformanceSuite('sqlite', async () => {
  const { file, cleanup } = await temporaryFile();
  return { backend: openSqliteBackend(file), reopen: () => Promise.resolve(openSqliteBackend(file)), cleanup };
});

void test('the registry opens the sqlite backend by name', async () => {
  const { file, cleanup } = await temporaryFile();
  try {
    const backend = await openBackend('sqlite', { file });
    assert.equal(backend.name, 'sqlite');
    await backend.close();
  } finally {
    await cleanup();
  }
});

void test('a second open of the same file fails while the first is open', async () => {
  const { file, cleanup } = await temporaryFile();
  try {
    const first = openSqliteBackend(file);
    await first.create('/registry/pods/default/a', 'a');
    assert.throws(
      () => openSqliteBackend(file),
      (error: unknown) => {
        return error instanceof StorageError && /in use by another process/.test(error.message);
      },
    );
    await first.close();
    const second = openSqliteBackend(file);
    assert.equal((await second.get('/registry/pods/default/a'))?.value, 'a');
    await second.close();
  } finally {
    await cleanup();
  }
});

void test('the database itself rejects two writes based on the same revision of a key', async () => {
  const { file, cleanup } = await temporaryFile();
  try {
    const backend = openSqliteBackend(file);
    const created = await backend.create('/registry/pods/default/a', 'a1');
    await backend.update('/registry/pods/default/a', 'a2', created.modRevision);
    await backend.close();

    const db = new Database(file);
    try {
      const insert = db.prepare(
        `INSERT INTO revisions (name, created, deleted, create_revision, prev_revision, value, old_value)
         VALUES (?, 0, 0, ?, ?, 'lost update', 'a1')`,
      );
      assert.throws(
        () => insert.run('/registry/pods/default/a', created.createRevision, created.modRevision),
        (error: unknown) => error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE',
      );
    } finally {
      db.close();
    }
  } finally {
    await cleanup();
  }
});

void test('a file written by another schema version is refused, not misread', async () => {
  const { file, cleanup } = await temporaryFile();
  try {
    await openSqliteBackend(file).close();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = 99 WHERE key = 'schema_version'").run();
    db.close();
    assert.throws(() => openSqliteBackend(file), /schema version 99/);
  } finally {
    await cleanup();
  }
});
