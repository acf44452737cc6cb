// Kills a process that is writing to the SQLite backend and checks that every write it had
// acknowledged is in the database afterwards: an acknowledged write must survive a crash.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteBackend } from './sqlite-backend.js';

/** Acknowledged writes to wait for before the kill. */
const ACKNOWLEDGED_BEFORE_KILL = 300;
/** Kept below the test timeout so a stuck writer fails with a message saying where it was. */
const WRITER_DEADLINE_MS = 4000;

void test('SIGKILL loses no acknowledged write', { timeout: 5000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-crash-'));
  const file = join(dir, 'state.db');
  try {
    // The writer sits beside this file, as .ts under tsx and as .js when compiled; it runs
    // under the same loader flags as this test, minus the test runner's own.
    const writer = fileURLToPath(new URL(`./crash-writer${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--test') && !arg.startsWith('--experimental-test'));
    const child = spawn(process.execPath, [...execArgv, writer, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    const acknowledged = new Map<string, string>();
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, WRITER_DEADLINE_MS);
    for await (const line of createInterface({ input: child.stdout })) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      acknowledged.set(line.slice(0, tab), line.slice(tab + 1));
      if (acknowledged.size === ACKNOWLEDGED_BEFORE_KILL) child.kill('SIGKILL');
    }
    const ending = await exited;
    clearTimeout(deadline);
    assert.ok(!timedOut, `writer got only ${acknowledged.size} writes acknowledged in time: ${stderr}`);
    assert.equal(ending, 'SIGKILL', `writer ended on its own: ${stderr}`);
    assert.ok(acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL);

    const backend = openSqliteBackend(file);
    try {
      for (const [key, value] of acknowledged) {
        assert.equal((await backend.get(key))?.value, value, `acknowledged ${key} survives`);
      }
      const listed = await backend.list('/registry/pods/');
      assert.ok(listed.items.length >= acknowledged.size);
      const next = await backend.create('/registry/pods/default/after-crash', '{}');
      assert.equal(next.modRevision, listed.revision + 1);
    } finally {
      await backend.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
