// The CronJob controller, as kube-controller-manager's (v2): at each scheduled time, in the
// CronJob's time zone, it creates a Job named `<cronjob>-<minutes since epoch>` from the job
// template, honouring suspend, startingDeadlineSeconds and concurrencyPolicy; it tracks the
// running Jobs in status.active, records lastScheduleTime and lastSuccessfulTime, and prunes
// finished Jobs beyond the history limits. A timer waits for the next time; nothing polls.
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, objectKey, resourcePath, WorkQueue, gvr, type EventRecorder, type Informer } from '../../client/index.js';
import { parseCronSchedule, Zone, type CronSchedule } from '../../time/index.js';
import { kubeTime } from '../../api/index.js';
import { controllerOf, controllerReference, ownerKey, sameJson, type ControllerContext, type CronJobObject, type JobObject } from '../shared/index.js';
import { errorMessage } from '../../lang/index.js';

const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Too many misses mean a clock problem or a long outage; kube warns past this many. */
const tooManyMissed = 100;
/** kube adds this much to the next run time before it syncs again. */
const requeueSlackMs = 100;

function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`: the same name for the same run, whoever creates it. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

export interface MostRecent {
  /** The latest schedule time not after now that has not run, if any. */
  readonly time?: number;
  readonly missed: number;
}

/** The unmet schedule times between the last run (or creation, or the starting deadline) and now. */
export function mostRecentScheduleTime(cj: CronJobObject, schedule: CronSchedule, now: number): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? new Date(now).toISOString());
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000);
  let time: number | undefined;
  let missed = 0;
  for (let t = schedule.next(earliest); t !== undefined && t <= now; t = schedule.next(t)) {
    time = t;
    // Counting stops being useful long before a minute schedule's year of misses.
    if (++missed > 10 * tooManyMissed) break;
  }
  return time === undefined ? { missed } : { time, missed };
}

export class CronJobController {
  private readonly queue = new WorkQueue<string>({ name: 'cronjob' });
  private readonly cronJobs: Informer<CronJobObject>;
  private readonly jobs: Informer<JobObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('cronjob-controller');
    this.cronJobs = ctx.informers.informer<CronJobObject>(gvr.cronJobs);
    this.jobs = ctx.informers.informer<JobObject>(gvr.jobs);
    this.cronJobs.addHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (old, cj) => {
        // A new schedule or time zone reschedules at once; status writes need no new sync.
        if (!sameJson(old.spec, cj.spec) || old.metadata.deletionTimestamp !== cj.metadata.deletionTimestamp) this.queue.add(objectKey(cj));
      },
    });
    const owner = (job: JobObject) => {
      const key = ownerKey(job, 'CronJob');
      if (key) this.queue.add(key);
    };
    this.jobs.addHandler({ onAdd: owner, onUpdate: (_, j) => owner(j), onDelete: owner });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.ctx.informers.waitForSync(signal);
    await this.queue.run(2, (key) => this.sync(key), signal);
  }

  private event(cj: CronJobObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' }, type, reason, message);
  }

  async sync(key: string): Promise<void> {
    const cached = this.cronJobs.store.get(key);
    if (!cached) return;
    const cj = structuredClone(cached);
    const uid = cj.metadata.uid ?? '';
    const children = this.jobs.store.byIndex('owner', uid).filter((j) => controllerOf(j)?.uid === uid);
    const status = (cj.status ??= {});
    await this.cleanupHistory(cj, children);

    // Reconcile status.active with the Jobs that exist.
    const active = (status.active ??= []);
    const inActive = (job: JobObject) => active.some((r) => r.uid === job.metadata.uid);
    const childUids = new Set(children.map((j) => j.metadata.uid));
    for (const job of children) {
      const done = finishedCondition(job);
      if (!inActive(job) && !done) {
        // Created by hand from the template (kubectl create job --from) or before a lost status write.
        this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`);
      } else if (inActive(job) && done) {
        status.active = active.filter((r) => r.uid !== job.metadata.uid);
        active.splice(0, active.length, ...status.active);
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${done.type ?? ''}`);
      }
      if (done?.type === 'Complete' && job.status?.completionTime) {
        const last = status.lastSuccessfulTime ? Date.parse(status.lastSuccessfulTime) : 0;
        if (Date.parse(job.status.completionTime) > last) status.lastSuccessfulTime = job.status.completionTime;
      }
    }
    for (const ref of [...active]) {
      if (childUids.has(ref.uid)) continue;
      try {
        await this.ctx.client.get(resourcePath(gvr.jobs, ref.namespace, ref.name));
      } catch (err) {
        if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
        this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        active.splice(active.indexOf(ref), 1);
      }
    }

    const nextIn = cj.metadata.deletionTimestamp ? undefined : await this.schedule(cj);
    if (!active.length) delete status.active;
    if (!sameJson(status, cached.status ?? {})) {
      await this.ctx.client.update(resourcePath(gvr.cronJobs, cj.metadata.namespace, cj.metadata.name, 'status'), {
        ...cj,
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        status,
      });
    }
    if (nextIn !== undefined) this.queue.addAfter(key, nextIn);
  }

  /** Starts the run that is due, if one is; answers how long until the next sync. */
  private async schedule(cj: CronJobObject): Promise<number | undefined> {
    const spec = cj.spec!;
    const status = cj.status!;
    const zoneName = spec.timeZone ?? 'UTC';
    let zone: Zone;
    try {
      zone = new Zone(zoneName);
    } catch (err) {
      this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(zoneName)}: ${errorMessage(err)}`);
      return undefined;
    }
    if (spec.suspend) return undefined;
    let schedule: CronSchedule;
    try {
      schedule = parseCronSchedule(spec.schedule, zoneName);
    } catch (err) {
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${errorMessage(err)}`);
      return undefined;
    }
    const now = Date.now();
    const untilNext = (from: number) => {
      const next = schedule.next(from);
      return next === undefined ? undefined : Math.max(0, next - now) + requeueSlackMs;
    };
    const { time: scheduled, missed } = mostRecentScheduleTime(cj, schedule, now);
    if (missed > tooManyMissed)
      this.event(
        cj,
        'Warning',
        'TooManyMissedTimes',
        `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
      );
    if (scheduled === undefined) return untilNext(now);
    const deadline = spec.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace('GMT', '+0000')}`);
      return untilNext(now);
    }
    const name = jobNameFor(cj.metadata.name, scheduled);
    const active = (status.active ??= []);
    if (active.some((r) => r.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) return untilNext(now);
    if (spec.concurrencyPolicy === 'Forbid' && active.length) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return untilNext(now);
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...active]) {
        await this.deleteJob(cj, ref.name ?? '');
        active.splice(active.indexOf(ref), 1);
      }
    }
    const template = structuredClone(spec.jobTemplate);
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace ?? '',
        labels: template.metadata?.labels ?? {},
        annotations: { ...(template.metadata?.annotations ?? {}), [scheduledTimestampAnnotation]: zone.rfc3339(scheduled) },
        ownerReferences: [controllerReference(cj, 'batch/v1', 'CronJob')],
      },
      spec: template.spec!,
    };
    let created: JobObject;
    try {
      created = await this.ctx.client.create<JobObject>(resourcePath(gvr.jobs, cj.metadata.namespace), job);
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
    } catch (err) {
      if (!(err instanceof ApiResponseError && err.status === 409)) {
        if (err instanceof ApiResponseError && err.status === 403 && /being terminated/.test(err.message)) return undefined;
        this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
        throw err;
      }
      created = await this.ctx.client.get<JobObject>(resourcePath(gvr.jobs, cj.metadata.namespace, name));
      // Someone else's Job of that name: leave it and its status to them.
      if (controllerOf(created)?.uid !== cj.metadata.uid) return undefined;
      if (active.some((r) => r.uid === created.metadata.uid)) return undefined;
    }
    const ref: ObjectReference = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: created.metadata.name,
      namespace: created.metadata.namespace ?? '',
      uid: created.metadata.uid ?? '',
      resourceVersion: created.metadata.resourceVersion ?? '',
    };
    active.push(ref);
    status.lastScheduleTime = kubeTime(scheduled);
    return untilNext(now);
  }

  private async deleteJob(cj: CronJobObject, name: string): Promise<void> {
    try {
      await this.ctx.client.delete(resourcePath(gvr.jobs, cj.metadata.namespace, name), { propagationPolicy: 'Background' });
      this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return;
      this.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
      throw err;
    }
  }

  /** Keeps the newest successfulJobsHistoryLimit complete and failedJobsHistoryLimit failed Jobs. */
  private async cleanupHistory(cj: CronJobObject, children: readonly JobObject[]): Promise<void> {
    const spec = cj.spec!;
    if (cj.metadata.deletionTimestamp) return;
    const byStart = (a: JobObject, b: JobObject) =>
      (a.status?.startTime ?? a.metadata.creationTimestamp ?? '').localeCompare(b.status?.startTime ?? b.metadata.creationTimestamp ?? '');
    for (const [type, limit] of [
      ['Complete', spec.successfulJobsHistoryLimit],
      ['Failed', spec.failedJobsHistoryLimit],
    ] as const) {
      if (limit === undefined || limit === null) continue;
      const done = children.filter((j) => !j.metadata.deletionTimestamp && finishedCondition(j)?.type === type).sort(byStart);
      for (const job of done.slice(0, Math.max(0, done.length - limit))) await this.deleteJob(cj, job.metadata.name);
    }
  }
}
