import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { trimNativeHeap } from './memory.js';

const glibc = process.platform === 'linux' && (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;

test('trimNativeHeap gives the pages a burst freed back to the system', { skip: glibc ? false : 'needs Linux with glibc (malloc_trim)' }, () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // 256 MB in 32 KiB buffers (below glibc's mmap threshold, so they come from its heap), with
  // every 64th kept alive so that the heap cannot simply shrink from its top.
  let burst: Buffer[] = [];
  const kept: Buffer[] = [];
  for (let i = 0; i < 8192; i++) {
    const buffer = Buffer.allocUnsafeSlow(32 * 1024).fill(1);
    if (i % 64 === 0) kept.push(buffer);
    else burst.push(buffer);
  }
  burst = [];
  gc();
  gc();
  const before = process.memoryUsage.rss();
  assert.equal(typeof trimNativeHeap(), 'boolean', 'the addon is built and loads');
  const released = before - process.memoryUsage.rss();
  assert.ok(released > 64 * 1024 * 1024, `trimming gave back ${(released / 1048576).toFixed(0)} MB of about 250 MB freed`);
  assert.equal(kept.length, 128);
  assert.equal(burst.length, 0);
});
