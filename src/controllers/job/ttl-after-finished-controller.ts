// The TTL-after-finished controller: a Job with ttlSecondsAfterFinished is deleted (foreground,
// so its pods go first) that many seconds after it completed or failed. A timer per Job waits
// for the expiry; the Job is read fresh from the API before deletion, as kube does, so a changed
// TTL or a Job that was recreated meanwhile is respected.
import { ApiResponseError, objectKey, resourcePath, splitKey, WorkQueue, type Informer, type ReadonlyCached, gvr } from '../../client/index.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { type ControllerContext, type JobObject } from '../shared/index.js';

/** When the Job finished (its Complete or Failed condition's transition), if it did. */
function finishedAt(job: ReadonlyCached<Job>): number | undefined {
  const c = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!c?.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/** Milliseconds until the Job expires (≤ 0: now), or undefined when it has no TTL or has not finished. */
function timeLeftMs(job: ReadonlyCached<Job>, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const at = finishedAt(job);
  if (ttl === undefined || ttl === null || at === undefined || job.metadata.deletionTimestamp) return undefined;
  return at + ttl * 1000 - now;
}

export class TtlAfterFinishedController {
  private readonly queue = new WorkQueue<string>({ name: 'ttl-after-finished' });
  private readonly jobs: Informer<ReadonlyCached<Job>>;

  constructor(private readonly ctx: ControllerContext) {
    this.jobs = ctx.informers.informer<ReadonlyCached<Job>>(gvr.jobs);
    const consider = (job: ReadonlyCached<Job>) => {
      if (timeLeftMs(job, Date.now()) !== undefined) this.queue.add(objectKey(job));
    };
    this.jobs.addHandler({ onAdd: consider, onUpdate: (_, j) => consider(j) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.ctx.informers.waitForSync(signal);
    await this.queue.run(2, (key) => this.sync(key), signal);
  }

  private async sync(key: string): Promise<void> {
    const cached = this.jobs.store.get(key);
    if (!cached) return;
    const left = timeLeftMs(cached, Date.now());
    if (left === undefined) return;
    if (left > 0) return this.queue.addAfter(key, left);
    const { namespace, name } = splitKey(key);
    const path = resourcePath(gvr.jobs, namespace, name);
    try {
      const fresh = await this.ctx.client.get<JobObject>(path);
      const freshLeft = timeLeftMs(fresh, Date.now());
      if (freshLeft === undefined) return;
      if (freshLeft > 0) return this.queue.addAfter(key, freshLeft);
      await this.ctx.client.delete(path, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata.uid ?? '', resourceVersion: fresh.metadata.resourceVersion ?? '' },
      });
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return;
      throw err;
    }
  }
}
