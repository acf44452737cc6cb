// Slow-start batching, as kube's controllers create pods: 1 call, then 2, 4, 8, ... in parallel,
// stopping after the first batch with a failure, so a template that cannot work fails once
// rather than hundreds of times while a healthy one still reaches full parallelism fast.
import { asError } from '../../lang/index.js';

/** Runs `fn` up to `count` times; answers how many succeeded and the first error, if any. */
export async function slowStartBatch(count: number, initialBatch: number, fn: () => Promise<void>): Promise<{ successes: number; error?: Error }> {
  let successes = 0;
  let done = 0;
  for (let batch = Math.max(1, initialBatch); done < count; batch *= 2) {
    const size = Math.min(batch, count - done);
    const results = await Promise.allSettled(Array.from({ length: size }, fn));
    done += size;
    let error: Error | undefined;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else error ??= asError(r.reason);
    }
    if (error) return { successes, error };
  }
  return { successes };
}
