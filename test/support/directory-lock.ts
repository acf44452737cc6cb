// A lock between processes made of a directory (mkdir is atomic), for test helpers that fetch or
// build something once while several test files run in parallel.

import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Runs `action` while holding the lock directory `lock`. A lock whose owner died, or that is older
 * than `staleMs`, is taken over; waiting gives up a little after `staleMs`.
 */
export async function withDirectoryLock<T>(lock: string, action: () => Promise<T>, staleMs = 300_000): Promise<T> {
  await mkdir(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + staleMs + 30_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isAbandoned(lock, staleMs)) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lock}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  try {
    await writeFile(path.join(lock, 'pid'), String(process.pid));
    return await action();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function isAbandoned(lock: string, staleMs: number): Promise<boolean> {
  const info = await stat(lock).catch(() => undefined);
  if (info === undefined) return false;
  if (Date.now() - info.mtimeMs > staleMs) return true;
  const owner = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => ''));
  // No pid yet: the owner is between creating the lock and writing it.
  if (!Number.isInteger(owner) || owner <= 0) return false;
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
