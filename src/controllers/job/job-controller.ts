// The Job controller, as kube-controller-manager's: runs pods until `completions` succeed (one per
// index in Indexed mode), at most `parallelism` at a time, replacing failures after an exponential
// backoff until backoffLimit, activeDeadlineSeconds or a podFailurePolicy rule fails the Job. Pods
// carry the batch.kubernetes.io/job-tracking finalizer until their outcome is in the Job's status
// (first as uncountedTerminatedPods, then in the counts), so a deleted pod is never lost.
import type { JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, objectKey, resourcePath, WorkQueue, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { log } from '../../log/index.js';
import { backoffRemainingMs, formatIndexes, matchPodFailurePolicy, parseIndexes } from './job-failures.js';
import { kubeTime } from '../../api/index.js';
import {
  claimCandidates,
  claimObjects,
  ControllerExpectations,
  controllerOf,
  controllerReference,
  indexOrphans,
  isPodActive,
  isPodReady,
  isPodTerminal,
  ownerKey,
  ownersSelecting,
  sameJson,
  selectorOf,
  type ControllerContext,
  type JobObject,
  type PodObject,
} from '../shared/index.js';
import { errorMessage } from '../../lang/index.js';

export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';

type ConditionType = 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet';

export function jobCondition(job: JobObject, type: ConditionType): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

function isJobFinished(job: JobObject): boolean {
  return jobCondition(job, 'Complete') !== undefined || jobCondition(job, 'Failed') !== undefined;
}

function setCondition(status: JobStatus, type: ConditionType, value: 'True' | 'False', reason: string, message: string, now: string): boolean {
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status === value && existing.reason === reason && existing.message === message) return false;
    if (existing.status !== value) existing.lastTransitionTime = now;
    Object.assign(existing, { status: value, reason, message, lastProbeTime: now });
    return true;
  }
  conditions.push({ type, status: value, reason, message, lastProbeTime: now, lastTransitionTime: now });
  return true;
}

function podIndex(pod: PodObject): number | undefined {
  const raw = pod.metadata.annotations?.[completionIndexKey] ?? pod.metadata.labels?.[completionIndexKey];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function finishTime(pod: PodObject, now: number): number {
  let latest = 0;
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const at = s.state?.terminated?.finishedAt ? Date.parse(s.state.terminated.finishedAt) : NaN;
    if (!Number.isNaN(at)) latest = Math.max(latest, at);
  }
  return latest || now;
}

interface BackoffRecord {
  failures: number;
  last?: number;
}

export class JobController {
  private readonly queue = new WorkQueue<string>({ name: 'job' });
  private readonly expectations = new ControllerExpectations();
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly jobs: Informer<JobObject>;
  private readonly pods: Informer<PodObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('job-controller');
    this.jobs = ctx.informers.informer<JobObject>(gvr.jobs);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    indexOrphans(this.pods);
    this.jobs.addHandler({
      onAdd: (j) => this.queue.add(objectKey(j)),
      onUpdate: (_, j) => this.queue.add(objectKey(j)),
      onDelete: (j) => {
        this.expectations.forget(objectKey(j));
        this.backoff.delete(j.metadata.uid ?? '');
        this.releaseOrphans(j.metadata.uid ?? '');
      },
    });
    this.pods.addHandler({
      onAdd: (p) => {
        const key = ownerKey(p, 'Job');
        if (!key) return;
        this.expectations.creationObserved(key);
        this.queue.add(key);
      },
      onUpdate: (old, p) => {
        const key = ownerKey(p, 'Job');
        const oldKey = ownerKey(old, 'Job');
        if (oldKey && oldKey !== key) this.queue.add(oldKey);
        if (key) this.queue.add(key);
        else {
          this.releaseIfOrphan(p);
          for (const j of ownersSelecting(this.jobs.store.listNamespace(p.metadata.namespace ?? ''), p)) this.queue.add(objectKey(j));
        }
      },
      onDelete: (p) => {
        const key = ownerKey(p, 'Job');
        if (!key) return;
        this.expectations.deletionObserved(key, objectKey(p));
        this.queue.add(key);
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.ctx.informers.waitForSync(signal);
    await this.queue.run(4, (key) => this.sync(key), signal);
  }

  /** A pod whose Job is gone must not keep the tracking finalizer. */
  private releaseIfOrphan(pod: PodObject): void {
    if (!pod.metadata.finalizers?.includes(jobTrackingFinalizer)) return;
    const ref = controllerOf(pod);
    if (ref?.kind === 'Job' && this.jobs.store.get(`${pod.metadata.namespace}/${ref.name}`)?.metadata.uid === ref.uid) return;
    void this.removeFinalizer(pod).catch((err: unknown) => log.warning('Could not remove job tracking finalizer', { pod: objectKey(pod), error: String(err) }));
  }

  private releaseOrphans(uid: string): void {
    for (const pod of this.pods.store.byIndex('owner', uid)) this.releaseIfOrphan(pod);
  }

  private async removeFinalizer(pod: PodObject): Promise<void> {
    const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer);
    try {
      await this.ctx.client.patch(
        resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name),
        { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: pod.metadata.resourceVersion } },
        'merge',
      );
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 404) return;
      throw err;
    }
  }

  private async updateStatus(job: JobObject, status: JobStatus): Promise<JobObject> {
    return this.ctx.client.update<JobObject>(resourcePath(gvr.jobs, job.metadata.namespace, job.metadata.name, 'status'), {
      ...job,
      apiVersion: 'batch/v1',
      kind: 'Job',
      status,
    });
  }

  private event(job: JobObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...job, apiVersion: 'batch/v1', kind: 'Job' }, type, reason, message);
  }

  async sync(key: string): Promise<void> {
    let job = this.jobs.store.get(key);
    if (!job) {
      this.expectations.forget(key);
      return;
    }
    if (job.metadata.deletionTimestamp) return this.releaseOrphans(job.metadata.uid ?? '');
    const uid = job.metadata.uid ?? '';
    const spec = job.spec!;
    const now = Date.now();
    const nowText = kubeTime(now);
    const { namespace, name } = job.metadata;
    const pods = await claimObjects({
      client: this.ctx.client,
      owner: job,
      ownerApiVersion: 'batch/v1',
      ownerKind: 'Job',
      gvr: gvr.pods,
      selector: selectorOf(spec.selector),
      candidates: claimCandidates(this.pods, job),
      recheckOwner: () => this.ctx.client.get<JobObject>(resourcePath(gvr.jobs, namespace, name)),
    });
    const podsByUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    const status: JobStatus = structuredClone(job.status ?? {});
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? undefined;
    const onlyFailedReplaced = spec.podReplacementPolicy === 'Failed';
    const record = this.backoff.get(uid) ?? { failures: 0 };
    this.backoff.set(uid, record);

    // 1. Outcomes of pods that finished since the last sync go into uncountedTerminatedPods first.
    const uncounted = { succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(status.uncountedTerminatedPods?.failed ?? [])] };
    const known = new Set([...uncounted.succeeded, ...uncounted.failed]);
    const completed = parseIndexes(status.completedIndexes);
    const release: PodObject[] = [];
    let failJob: string | undefined;
    let recorded = false;
    for (const pod of pods) {
      const podUid = pod.metadata.uid ?? '';
      if (!pod.metadata.finalizers?.includes(jobTrackingFinalizer) || known.has(podUid)) continue;
      const phase = pod.status?.phase;
      if (phase === 'Succeeded') {
        const index = podIndex(pod);
        if (indexed && (index === undefined || completions === undefined || index >= completions)) {
          release.push(pod);
          continue;
        }
        if (index !== undefined && indexed) completed.add(index);
        uncounted.succeeded.push(podUid);
        record.failures = 0;
        recorded = true;
      } else if (phase === 'Failed' || (pod.metadata.deletionTimestamp && !onlyFailedReplaced && !isPodTerminal(pod))) {
        const match = phase === 'Failed' ? matchPodFailurePolicy(spec, pod) : undefined;
        if (match?.action === 'Ignore') {
          release.push(pod);
          continue;
        }
        if (match?.action === 'FailJob') failJob ??= match.message;
        uncounted.failed.push(podUid);
        record.failures++;
        record.last = Math.max(record.last ?? 0, finishTime(pod, now));
        recorded = true;
      } else if (isJobFinished(job)) {
        release.push(pod);
      }
    }
    if (recorded) {
      status.uncountedTerminatedPods = uncounted;
      if (indexed) status.completedIndexes = formatIndexes(completed);
      job = await this.updateStatus(job, status);
      Object.assign(status, structuredClone(job.status ?? {}));
    }

    // 2. Release the pods whose outcome is recorded, then fold them into the counts.
    for (const podUid of [...uncounted.succeeded, ...uncounted.failed]) {
      const pod = podsByUid.get(podUid);
      if (pod?.metadata.finalizers?.includes(jobTrackingFinalizer)) release.push(pod);
    }
    await Promise.all(release.map((p) => this.removeFinalizer(p)));
    status.succeeded = indexed ? completed.size : (status.succeeded ?? 0) + uncounted.succeeded.length;
    status.failed = (status.failed ?? 0) + uncounted.failed.length;
    status.uncountedTerminatedPods = {};

    // 3. Decide what the Job is now.
    let active = pods.filter(isPodActive);
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp && !isPodTerminal(p)).length;
    const succeeded = status.succeeded;
    const failed = status.failed;
    const finished = isJobFinished(job);
    if (!finished) {
      if (!status.startTime && !spec.suspend) status.startTime = nowText;
      let failure = status.conditions?.find((c) => c.type === 'FailureTarget' && c.status === 'True');
      const backoffLimit = spec.backoffLimit ?? 6;
      const restarts = active.reduce(
        (n, p) => n + [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].reduce((m, s) => m + s.restartCount, 0),
        0,
      );
      const onFailureExceeded = spec.template.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
      const deadlineMs =
        spec.activeDeadlineSeconds !== undefined && status.startTime ? Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now : undefined;
      if (!failure) {
        let reason: string | undefined;
        let message = '';
        if (failJob) [reason, message] = ['PodFailurePolicy', failJob];
        else if (failed > backoffLimit || onFailureExceeded) [reason, message] = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
        else if (deadlineMs !== undefined && deadlineMs <= 0 && !spec.suspend)
          [reason, message] = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
        if (reason) {
          setCondition(status, 'FailureTarget', 'True', reason, message, nowText);
          failure = status.conditions?.find((c) => c.type === 'FailureTarget');
        }
      }
      const complete = indexed
        ? completions !== undefined && completed.size >= completions
        : completions !== undefined
          ? succeeded >= completions
          : succeeded > 0 && active.length === 0;
      const successMet = complete || status.conditions?.some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
      if (failure) {
        await this.deletePods(key, job, active);
        active = [];
        if (terminating === 0) {
          setCondition(status, 'Failed', 'True', failure.reason ?? '', failure.message ?? '', nowText);
          this.event(job, 'Warning', failure.reason ?? 'Failed', failure.message ?? '');
        }
      } else if (successMet) {
        setCondition(status, 'SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', nowText);
        await this.deletePods(key, job, active);
        active = [];
        if (terminating === 0) {
          setCondition(status, 'Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', nowText);
          status.completionTime = nowText;
          this.event(job, 'Normal', 'Completed', 'Job completed');
        }
      } else if (spec.suspend) {
        await this.deletePods(key, job, active);
        active = [];
        if (setCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', nowText)) this.event(job, 'Normal', 'Suspended', 'Job suspended');
      } else {
        if (status.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
          setCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', nowText);
          this.event(job, 'Normal', 'Resumed', 'Job resumed');
          // A resumed Job's deadline counts from the resume.
          status.startTime = nowText;
        }
        if (deadlineMs !== undefined && deadlineMs > 0) this.queue.addAfter(key, deadlineMs);
        if (this.expectations.satisfied(key))
          active = await this.manage(key, job, active, completed, succeeded, onlyFailedReplaced ? terminating : 0, record, now);
      }
    }

    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.terminating = terminating;
    if (!sameJson(status, job.status ?? {})) await this.updateStatus(job, status);
  }

  /** Creates or deletes pods toward what the Job wants running now; answers the active pods. */
  private async manage(
    key: string,
    job: JobObject,
    active: PodObject[],
    completed: Set<number>,
    succeeded: number,
    terminatingCounted: number,
    record: BackoffRecord,
    now: number,
  ): Promise<PodObject[]> {
    const spec = job.spec!;
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? undefined;
    const surplus: PodObject[] = [];
    let toCreate: (number | undefined)[] = [];
    if (spec.completionMode === 'Indexed') {
      const running = new Set<number>();
      const keep: PodObject[] = [];
      for (const pod of active) {
        const index = podIndex(pod);
        if (index === undefined || completions === undefined || index >= completions || completed.has(index) || running.has(index)) surplus.push(pod);
        else {
          running.add(index);
          keep.push(pod);
        }
      }
      const room = Math.max(0, parallelism - keep.length - terminatingCounted);
      for (let i = 0; completions !== undefined && i < completions && toCreate.length < room; i++) if (!completed.has(i) && !running.has(i)) toCreate.push(i);
    } else {
      const want =
        completions === undefined
          ? succeeded > 0
            ? Math.min(active.length, parallelism)
            : parallelism
          : Math.max(0, Math.min(parallelism, completions - succeeded));
      if (active.length > want) {
        // Not-ready and younger pods go first, as kube's ActivePods ordering.
        const ranked = [...active].sort(
          (a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
        );
        surplus.push(...ranked.slice(0, active.length - want));
      } else toCreate = Array.from({ length: Math.max(0, want - active.length - terminatingCounted) }, () => undefined);
    }
    if (surplus.length) await this.deletePods(key, job, surplus);
    const remaining = active.filter((p) => !surplus.includes(p));
    if (!toCreate.length) return remaining;
    const wait = backoffRemainingMs(record.failures, record.last, now);
    if (wait > 0) {
      this.queue.addAfter(key, wait);
      return remaining;
    }
    this.expectations.expectCreations(key, toCreate.length);
    const created = await Promise.all(toCreate.map((index) => this.createPod(key, job, index)));
    return [...remaining, ...created.filter((p): p is PodObject => p !== undefined)];
  }

  private async createPod(key: string, job: JobObject, index: number | undefined): Promise<PodObject | undefined> {
    const template = structuredClone(job.spec!.template);
    const name = job.metadata.name;
    const labels = { ...(template.metadata?.labels ?? {}) };
    const annotations = { ...(template.metadata?.annotations ?? {}) };
    const podSpec = template.spec!;
    if (index !== undefined) {
      annotations[completionIndexKey] = String(index);
      labels[completionIndexKey] = String(index);
      podSpec.hostname ??= `${name}-${index}`;
      const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${completionIndexKey}']` } } };
      const addEnv = (c: Container) => {
        if (!c.env?.some((e) => e.name === env.name)) c.env = [...(c.env ?? []), env];
      };
      podSpec.containers.forEach(addEnv);
      podSpec.initContainers?.forEach(addEnv);
    }
    const pod: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
        namespace: job.metadata.namespace ?? '',
        labels,
        annotations,
        finalizers: [jobTrackingFinalizer],
        ownerReferences: [controllerReference(job, 'batch/v1', 'Job')],
      },
      spec: podSpec,
    };
    const { name: _, ...metadata } = pod.metadata;
    try {
      const created = await this.ctx.client.create<PodObject>(resourcePath(gvr.pods, job.metadata.namespace), { ...pod, metadata });
      this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return created;
    } catch (err) {
      this.expectations.creationObserved(key);
      const message = err instanceof ApiResponseError ? err.message.replace(/^POST \S+: \d+ /, '') : String(err);
      this.event(job, 'Warning', 'FailedCreate', `Error creating: ${message}`);
      throw err;
    }
  }

  private async deletePods(key: string, job: JobObject, pods: readonly PodObject[]): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        this.expectations.expectDeletions(key, [objectKey(pod)]);
        try {
          await this.ctx.client.delete(resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name), { preconditions: { uid: pod.metadata.uid ?? '' } });
          this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, objectKey(pod));
          if (!(err instanceof ApiResponseError && (err.status === 404 || err.status === 409))) {
            this.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
            throw err;
          }
        }
      }),
    );
  }
}
