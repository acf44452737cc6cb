// Gives a burst's memory back when the server goes quiet. V8 sizes its heap for the load it has
// seen and keeps that size while the process idles: after ten thousand creates the server held
// 360-380 MB where 230 MB was live. Go's runtime (kube-apiserver's) returns freed memory to the
// system on its own; here one full collection does it, run once per busy spell when the event loop
// has been nearly idle for a few seconds, so it never competes with requests. Under steady load it
// never runs and V8's own heuristics decide.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { log } from '../log/index.js';

export interface IdleCollectorOptions {
  /** How often the event loop's utilization is looked at. */
  readonly intervalMs?: number;
  /** Utilization over one interval that counts as a busy spell. */
  readonly busyAbove?: number;
  /** Utilization over one interval under which the process is idle. */
  readonly idleBelow?: number;
  /** The collection (tests count calls); by default V8's full collection. */
  readonly collect?: () => void;
}

/** Starts watching the event loop; returns the stop function. The timer does not keep the process alive. */
export function startIdleCollector(options: IdleCollectorOptions = {}): () => void {
  const { intervalMs = 5000, busyAbove = 0.2, idleBelow = 0.05 } = options;
  const collect = options.collect ?? fullCollection();
  let last = performance.eventLoopUtilization();
  let busySpell = false;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (utilization > busyAbove) {
      busySpell = true;
      return;
    }
    if (!busySpell || utilization >= idleBelow) return;
    busySpell = false;
    const before = process.memoryUsage().rss;
    const started = performance.now();
    collect();
    log.v(2, 'Collected garbage after a busy spell', {
      ms: Math.round(performance.now() - started),
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
