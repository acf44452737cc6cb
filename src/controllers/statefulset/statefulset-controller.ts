// The StatefulSet controller, as kube-controller-manager's: pods `<set>-<ordinal>` with stable
// identity and claims `<template>-<set>-<ordinal>`, created in order and each waiting for the one
// before to be Running and Ready (OrderedReady) or all at once (Parallel), removed from the highest
// ordinal down, rolled to a new ControllerRevision from the highest ordinal to the partition (or
// left to the user with OnDelete), and claims owned per persistentVolumeClaimRetentionPolicy.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiResponseError, objectKey, resourcePath, WorkQueue, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { claimsFor, ordinalOf, podFor, startOrdinal } from './stateful-pods.js';
import {
  apiErrorText,
  claimCandidates,
  claimObjects,
  controllerOf,
  ensureRevision,
  indexOrphans,
  isPodReady,
  isPodTerminal,
  ownerKey,
  ownersSelecting,
  podAvailability,
  revisionHashLabel,
  revisionTemplate,
  sameJson,
  scaledValue,
  selectorOf,
  trimHistory,
  type ClaimObject,
  type ControllerContext,
  type PodObject,
  type RevisionObject,
  type StatefulSetObject,
} from '../shared/index.js';

export class StatefulSetController {
  private readonly queue = new WorkQueue<string>({ name: 'statefulset' });
  private readonly sets: Informer<StatefulSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly revisions: Informer<RevisionObject>;
  private readonly claims: Informer<ClaimObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('statefulset-controller');
    this.sets = ctx.informers.informer<StatefulSetObject>(gvr.statefulSets);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    this.revisions = ctx.informers.informer<RevisionObject>(gvr.controllerRevisions);
    this.claims = ctx.informers.informer<ClaimObject>(gvr.persistentVolumeClaims);
    indexOrphans(this.pods);
    this.sets.addHandler({ onAdd: (s) => this.queue.add(objectKey(s)), onUpdate: (_, s) => this.queue.add(objectKey(s)) });
    const owner = (o: PodObject | RevisionObject) => {
      const key = ownerKey(o, 'StatefulSet');
      if (key) this.queue.add(key);
    };
    const podChanged = (p: PodObject) => {
      owner(p);
      for (const s of ownersSelecting(this.sets.store.listNamespace(p.metadata.namespace ?? ''), p)) this.queue.add(objectKey(s));
    };
    this.pods.addHandler({ onAdd: podChanged, onUpdate: (_, p) => podChanged(p), onDelete: owner });
    this.revisions.addHandler({ onDelete: owner });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.ctx.informers.waitForSync(signal);
    await this.queue.run(4, (key) => this.sync(key), signal);
  }

  private event(set: StatefulSetObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' }, type, reason, message);
  }

  async sync(key: string): Promise<void> {
    const set = this.sets.store.get(key);
    if (!set || set.metadata.deletionTimestamp) return;
    const uid = set.metadata.uid ?? '';
    const spec = set.spec!;
    const pods = await claimObjects({
      client: this.ctx.client,
      owner: set,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'StatefulSet',
      gvr: gvr.pods,
      selector: selectorOf(spec.selector),
      member: (p) => ordinalOf(set.metadata.name, p.metadata.name) !== undefined,
      candidates: claimCandidates(this.pods, set),
      recheckOwner: () => this.ctx.client.get<StatefulSetObject>(resourcePath(gvr.statefulSets, set.metadata.namespace, set.metadata.name)),
    });
    const revisions = this.revisions.store
      .byIndex('owner', uid)
      .filter((r) => controllerOf(r)?.uid === uid)
      .sort((a, b) => a.revision - b.revision);
    const { revision: updateRevision } = await ensureRevision(this.ctx.client, set, 'StatefulSet', revisions);
    const currentRevision = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRevision;
    const replicas = spec.replicas ?? 1;
    const start = startOrdinal(set);
    const end = start + replicas;
    const monotonic = spec.podManagementPolicy !== 'Parallel';
    const rolling = spec.updateStrategy?.type !== 'OnDelete';
    const partition = rolling ? (spec.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;
    const minReady = spec.minReadySeconds ?? 0;
    const now = Date.now();
    let recheckMs: number | undefined;
    const healthy = (pod: PodObject) => {
      if (pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running' || !isPodReady(pod)) return false;
      const a = podAvailability(pod, minReady, now);
      if (a.inMs !== undefined) recheckMs = Math.min(recheckMs ?? a.inMs, a.inMs);
      return a.available;
    };

    const byOrdinal = new Map<number, PodObject>();
    const condemned: PodObject[] = [];
    for (const pod of pods) {
      const ordinal = ordinalOf(set.metadata.name, pod.metadata.name);
      if (ordinal === undefined) continue;
      if (ordinal >= start && ordinal < end) byOrdinal.set(ordinal, pod);
      else condemned.push(pod);
    }
    condemned.sort((a, b) => ordinalOf(set.metadata.name, b.metadata.name)! - ordinalOf(set.metadata.name, a.metadata.name)!);
    await this.claimOwnership(set, pods, start, end);

    // Replicas in ascending order; with OrderedReady each waits for the ones before it.
    let blocked = false;
    for (let ordinal = start; ordinal < end && !blocked; ordinal++) {
      const pod = byOrdinal.get(ordinal);
      if (pod && isPodTerminal(pod) && !pod.metadata.deletionTimestamp) {
        // A finished pod of a StatefulSet is replaced under the same name once it is gone.
        await this.deletePod(set, pod);
        blocked = monotonic;
      } else if (!pod) {
        const revision = rolling && ordinal < partition ? currentRevision : updateRevision;
        await this.createClaims(set, ordinal);
        await this.createPod(set, podFor(set, revisionTemplate(revision) ?? spec.template, revision.metadata.name, ordinal));
        blocked = monotonic;
      } else if (!healthy(pod)) blocked = monotonic;
    }
    // Scale down from the highest ordinal, one at a time when ordered.
    for (const pod of condemned) {
      if (blocked) break;
      if (pod.metadata.deletionTimestamp) {
        blocked = monotonic;
        continue;
      }
      await this.deletePod(set, pod);
      blocked = monotonic;
    }
    if (!blocked && rolling) await this.rollingUpdate(set, byOrdinal, updateRevision, Math.max(start, partition), end, healthy);

    const status = this.status(set, pods, currentRevision, updateRevision, minReady, now);
    if (!sameJson(status, set.status ?? {})) {
      await this.ctx.client.update(resourcePath(gvr.statefulSets, set.metadata.namespace, set.metadata.name, 'status'), {
        ...set,
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        status,
      });
    }
    const inUse = new Set([status.currentRevision ?? '', status.updateRevision ?? '', ...pods.map((p) => p.metadata.labels?.[revisionHashLabel] ?? '')]);
    await trimHistory(this.ctx.client, revisions, spec.revisionHistoryLimit ?? 10, inUse);
    if (recheckMs !== undefined) this.queue.addAfter(key, recheckMs + 50);
  }

  /** Replaces old-revision pods from the highest ordinal down to the partition, keeping at most maxUnavailable down. */
  private async rollingUpdate(
    set: StatefulSetObject,
    byOrdinal: ReadonlyMap<number, PodObject>,
    updateRevision: RevisionObject,
    lowest: number,
    end: number,
    healthy: (p: PodObject) => boolean,
  ): Promise<void> {
    const replicas = set.spec?.replicas ?? 1;
    const maxUnavailable = Math.max(1, scaledValue(set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, replicas, false));
    let unavailable = 0;
    const old: PodObject[] = [];
    for (let ordinal = end - 1; ordinal >= lowest; ordinal--) {
      const pod = byOrdinal.get(ordinal);
      if (!pod) continue;
      const isOld = pod.metadata.labels?.[revisionHashLabel] !== updateRevision.metadata.name;
      if (!healthy(pod)) {
        unavailable++;
        // An old pod that is down anyway is replaced without waiting.
        if (isOld && !pod.metadata.deletionTimestamp) await this.deletePod(set, pod);
      } else if (isOld) old.push(pod);
    }
    for (const pod of old.slice(0, Math.max(0, maxUnavailable - unavailable))) await this.deletePod(set, pod);
  }

  private status(
    set: StatefulSetObject,
    pods: readonly PodObject[],
    current: RevisionObject,
    update: RevisionObject,
    minReady: number,
    now: number,
  ): StatefulSetStatus {
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata.generation ?? 0,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      currentRevision: current.metadata.name,
      updateRevision: update.metadata.name,
      collisionCount: set.status?.collisionCount ?? 0,
    };
    for (const pod of pods) {
      if (ordinalOf(set.metadata.name, pod.metadata.name) === undefined) continue;
      status.replicas++;
      if (pod.status?.phase === 'Running' && isPodReady(pod)) {
        status.readyReplicas = (status.readyReplicas ?? 0) + 1;
        if (podAvailability(pod, minReady, now).available) status.availableReplicas = (status.availableReplicas ?? 0) + 1;
      }
      if (pod.metadata.deletionTimestamp) continue;
      const revision = pod.metadata.labels?.[revisionHashLabel];
      if (revision === current.metadata.name) status.currentReplicas = (status.currentReplicas ?? 0) + 1;
      if (revision === update.metadata.name) status.updatedReplicas = (status.updatedReplicas ?? 0) + 1;
    }
    // A finished rollout makes the update revision the current one.
    if (set.spec?.updateStrategy?.type !== 'OnDelete' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentRevision = update.metadata.name;
      status.currentReplicas = status.updatedReplicas;
    }
    return status;
  }

  private async createPod(set: StatefulSetObject, pod: PodObject): Promise<void> {
    try {
      await this.ctx.client.create(resourcePath(gvr.pods, pod.metadata.namespace), pod);
      this.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (err) {
      // Already there: the informer has not shown it yet.
      if (err instanceof ApiResponseError && err.status === 409) return;
      this.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${apiErrorText(err)}`);
      throw err;
    }
  }

  private async deletePod(set: StatefulSetObject, pod: PodObject): Promise<void> {
    try {
      await this.ctx.client.delete(resourcePath(gvr.pods, pod.metadata.namespace, pod.metadata.name), { preconditions: { uid: pod.metadata.uid ?? '' } });
      this.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (err) {
      if (err instanceof ApiResponseError && (err.status === 404 || err.status === 409)) return;
      this.event(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${apiErrorText(err)}`);
      throw err;
    }
  }

  /**
   * The owner references a claim should carry under the retention policy. The claim of a pod
   * removed by scaling down (whenScaled: Delete) belongs to that pod alone, so the garbage
   * collector deletes it with the pod even when whenDeleted: Delete also ties claims to the set.
   */
  private claimOwners(set: StatefulSetObject, pod: PodObject | undefined, condemned: boolean): OwnerReference[] {
    const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
    if (condemned && pod && policy?.whenScaled === 'Delete') return [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid ?? '' }];
    if (policy?.whenDeleted === 'Delete') return [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name, uid: set.metadata.uid ?? '' }];
    return [];
  }

  private async createClaims(set: StatefulSetObject, ordinal: number): Promise<void> {
    for (const claim of claimsFor(set, ordinal)) {
      if (this.claims.store.get(objectKey(claim))) continue;
      const owners = this.claimOwners(set, undefined, false);
      if (owners.length) claim.metadata.ownerReferences = owners;
      const podName = `${set.metadata.name}-${ordinal}`;
      try {
        await this.ctx.client.create(resourcePath(gvr.persistentVolumeClaims, claim.metadata.namespace), claim);
        this.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${podName} in StatefulSet ${set.metadata.name} success`);
      } catch (err) {
        if (err instanceof ApiResponseError && err.status === 409) continue;
        this.event(
          set,
          'Warning',
          'FailedCreate',
          `create Claim ${claim.metadata.name} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${apiErrorText(err)}`,
        );
        throw err;
      }
    }
  }

  /** Points each claim's owner references at the set and/or its condemned pod, as the policy says. */
  private async claimOwnership(set: StatefulSetObject, pods: readonly PodObject[], start: number, end: number): Promise<void> {
    if (!set.spec?.volumeClaimTemplates?.length) return;
    const podUids = new Set(pods.map((p) => p.metadata.uid));
    for (const pod of pods) {
      const ordinal = ordinalOf(set.metadata.name, pod.metadata.name);
      if (ordinal === undefined) continue;
      const condemned = ordinal < start || ordinal >= end;
      for (const wanted of claimsFor(set, ordinal)) {
        const claim = this.claims.store.get(objectKey(wanted));
        if (!claim) continue;
        const others = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid && !podUids.has(r.uid));
        const refs = [...others, ...this.claimOwners(set, pod, condemned)];
        if (sameJson(refs, claim.metadata.ownerReferences ?? [])) continue;
        await this.ctx.client.patch(
          resourcePath(gvr.persistentVolumeClaims, claim.metadata.namespace, claim.metadata.name),
          { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: claim.metadata.resourceVersion } },
          'merge',
        );
      }
    }
  }
}
