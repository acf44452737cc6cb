// Gives a burst's memory back when the server goes quiet. V8 sizes its heap for the load it has
// seen and keeps that size while the process idles: after ten thousand creates the server held
// 360-380 MB where 230 MB was live. And glibc keeps the pages a burst freed outside V8 (the TLS
// buffers of two thousand watch connections: 390 MB three minutes after they closed, 160 MB once
// trimmed). Go's runtime (kube-apiserver's) returns freed memory to the system on its own; here one
// full collection does it, once per busy spell when the event loop has been nearly idle for a few
// seconds, so it never competes with requests; and the C heap is trimmed whenever the loop is
// quiet and it holds much free (sockets close and their TLS state is freed after the collection).
// Under steady load neither runs and V8's and glibc's own heuristics decide.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { log } from '../log/index.js';
import { nativeHeapFreeBytes, trimNativeHeap } from '../native/memory.js';

export interface IdleCollectorOptions {
  /** How often the event loop's utilization is looked at. */
  readonly intervalMs?: number;
  /** Utilization over one interval that counts as a busy spell. */
  readonly busyAbove?: number;
  /** Utilization over one interval under which the process is idle. */
  readonly idleBelow?: number;
  /** The collection (tests count calls); by default V8's full collection. */
  readonly collect?: () => void;
  /** Free bytes in the C heap past which a quiet interval trims it. */
  readonly trimAboveBytes?: number;
  /** The C heap's free bytes and its trim (tests fake them); by default glibc's, through the addon. */
  readonly nativeHeap?: { freeBytes(): number | undefined; trim(): unknown };
}

/** Starts watching the event loop; returns the stop function. The timer does not keep the process alive. */
export function startIdleCollector(options: IdleCollectorOptions = {}): () => void {
  const { intervalMs = 5000, busyAbove = 0.2, idleBelow = 0.05 } = options;
  const collect = options.collect ?? fullCollection();
  const { trimAboveBytes = 32 * 1024 * 1024, nativeHeap = { freeBytes: nativeHeapFreeBytes, trim: trimNativeHeap } } = options;
  // Loading the addon is work too: done now, it does not make the first interval look busy.
  nativeHeap.freeBytes();
  let last = performance.eventLoopUtilization();
  let busySpell = false;
  // glibc still counts trimmed pages as free: a heap unchanged since the last trim is left alone.
  let freeAtTrim = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (utilization > busyAbove) {
      busySpell = true;
      return;
    }
    if (utilization >= idleBelow) return;
    if (busySpell) {
      busySpell = false;
      const before = process.memoryUsage().rss;
      const started = performance.now();
      collect();
      log.v(2, 'Collected garbage after a busy spell', {
        ms: Math.round(performance.now() - started),
        rssBeforeMb: Math.round(before / 1048576),
        rssAfterMb: Math.round(process.memoryUsage().rss / 1048576),
      });
      return;
    }
    const free = nativeHeap.freeBytes();
    if (free === undefined || free < trimAboveBytes || Math.abs(free - freeAtTrim) < trimAboveBytes / 4) return;
    freeAtTrim = free;
    const before = process.memoryUsage().rss;
    nativeHeap.trim();
    log.v(2, "Gave the C heap's free pages back to the system", {
      freeMb: Math.round(free / 1048576),
      rssBeforeMb: Math.round(before / 1048576),
      rssAfterMb: Math.round(process.memoryUsage().rss / 1048576),
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function fullCollection(): () => void {
  // --expose-gc set at run time defines gc() in contexts made after it, not in this one.
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
