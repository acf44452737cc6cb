// The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`),
// rolled from old to new with RollingUpdate (maxSurge / maxUnavailable) or Recreate, revisions in
// annotations for `kubectl rollout history|undo`, proportional scaling while paused or mid-rollout,
// old ReplicaSets cleaned past revisionHistoryLimit, and the Available and Progressing conditions
// (with progressDeadlineSeconds) in status, as kube-controller-manager's deployment controller.
import type { DeploymentCondition } from 'kubernetes-types/apps/v1.js';
import { FieldPath, labelSelectorFromObject } from '../../api/index.js';
import { ApiResponseError, resourcePath, WorkQueue, type ApiClient, type EventRecorder, type Informer, type KubeObject } from '../../client/index.js';
import {
  activeOrLatest,
  activeReplicaSets,
  actualReplicaCount,
  availableReplicaCount,
  byCreation,
  desiredReplicas,
  desiredReplicasOf,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  proportionalSizes,
  replicaCount,
  specReplicas,
} from './deployment-replicas.js';
import {
  maxRevision,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './deployment-revisions.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  progressingReasons,
  removeCondition,
  sameStatus,
  setCondition,
  type Status,
} from './deployment-status.js';
import { podTemplateHash, podTemplateHashLabel, templatesEqualIgnoringHash } from './pod-template-hash.js';
import {
  apiErrorText,
  claimCandidates,
  claimObjects,
  controllerOf,
  controllerReference,
  indexOrphans,
  isNamespaceTerminating,
  isNotFound,
  type ControllerContext,
  type DeploymentObject,
  type PodObject,
  type ReplicaSetObject,
} from '../shared/index.js';
import { gvr } from '../../client/index.js';

export interface DeploymentControllerOptions {
  readonly workers?: number;
}

export class DeploymentController {
  private readonly client: ApiClient;
  private readonly deployments: Informer<DeploymentObject>;
  private readonly replicaSets: Informer<ReplicaSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'deployment' });
  private readonly recorder: EventRecorder;

  constructor(
    ctx: ControllerContext,
    private readonly options: DeploymentControllerOptions = {},
  ) {
    this.client = ctx.client;
    this.recorder = ctx.recorder('deployment-controller');
    this.deployments = ctx.informers.informer<DeploymentObject>(gvr.deployments);
    this.replicaSets = ctx.informers.informer<ReplicaSetObject>(gvr.replicaSets);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    indexOrphans(this.replicaSets);
    this.deployments.addHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, rs) => this.replicaSetUpdated(old, rs),
      onDelete: (rs) => this.enqueueOwner(rs),
    });
    this.pods.addHandler({ onDelete: (p) => this.podDeleted(p) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.deployments.waitForSync(signal), this.replicaSets.waitForSync(signal), this.pods.waitForSync(signal)]);
    await this.queue.run(this.options.workers ?? 5, (key) => this.sync(key), signal);
  }

  private enqueue(d: KubeObject): void {
    this.queue.add(`${d.metadata.namespace ?? ''}/${d.metadata.name}`);
  }

  private ownerOf(rs: ReplicaSetObject): DeploymentObject | undefined {
    const ref = controllerOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.store.get(`${rs.metadata.namespace ?? ''}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private enqueueOwner(rs: ReplicaSetObject): void {
    const d = this.ownerOf(rs);
    if (d) this.enqueue(d);
  }

  /** Deployments whose selector matches an orphan ReplicaSet: who might adopt it. */
  private enqueueMatching(rs: ReplicaSetObject): void {
    for (const d of this.deployments.store.listNamespace(rs.metadata.namespace ?? '')) {
      const { selector, errors } = labelSelectorFromObject(d.spec?.selector, FieldPath.root('spec').child('selector'));
      if (!errors.length && !selector.isEverything() && selector.matches(rs.metadata.labels)) this.enqueue(d);
    }
  }

  private replicaSetAdded(rs: ReplicaSetObject): void {
    if (controllerOf(rs)) this.enqueueOwner(rs);
    else if (!rs.metadata.deletionTimestamp) this.enqueueMatching(rs);
  }

  private replicaSetUpdated(old: ReplicaSetObject, rs: ReplicaSetObject): void {
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const ref = controllerOf(rs);
    const oldRef = controllerOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) this.enqueueOwner(old);
    if (ref) return this.enqueueOwner(rs);
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {});
    if (labelsChanged || oldRef) this.enqueueMatching(rs);
  }

  /** Recreate waits for the old pods to be gone; their deletion is what lets it continue. */
  private podDeleted(pod: PodObject): void {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.store.get(`${pod.metadata.namespace ?? ''}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.ownerOf(rs);
    if (d && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  private async sync(key: string): Promise<void> {
    const cached = this.deployments.store.get(key);
    if (!cached) return;
    // Work on a private copy that follows our own writes (status, resourceVersion) within this sync.
    const d: DeploymentObject = { ...structuredClone(cached), apiVersion: 'apps/v1', kind: 'Deployment' };
    const selectorObject = d.spec?.selector;
    if (selectorObject && !Object.keys(selectorObject.matchLabels ?? {}).length && !(selectorObject.matchExpressions ?? []).length) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation ?? 0 };
        await this.writeStatus(d);
      }
      return;
    }
    const { selector, errors } = labelSelectorFromObject(selectorObject, FieldPath.root('spec').child('selector'));
    if (errors.length) return;
    const rsList = await claimObjects({
      client: this.client,
      owner: d,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'Deployment',
      gvr: gvr.replicaSets,
      selector,
      candidates: claimCandidates(this.replicaSets, d),
      recheckOwner: () => this.client.get<KubeObject>(resourcePath(gvr.deployments, d.metadata.namespace, d.metadata.name)),
    });
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, false);
      return this.syncStatus(d, [...oldRSs, newRS], newRS);
    }
    await this.checkPausedConditions(d);
    if (d.spec?.paused || (await this.isScalingEvent(d, rsList))) return this.scaleAndSync(d, rsList);
    if (d.spec?.strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  // Revisions and the new ReplicaSet

  /**
   * The ReplicaSet running the current template (created when asked and missing) and all others.
   * Brings the new one's revision to one past the highest old one, and the Deployment's with it.
   */
  private async replicaSetsAndSyncRevision(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
    create: boolean,
  ): Promise<{ newRS: ReplicaSetObject | undefined; oldRSs: ReplicaSetObject[] }> {
    const existing = [...rsList].sort(byCreation).find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) return { newRS: await this.syncExistingNewReplicaSet(d, rsList, existing, newRevision), oldRSs };
    if (!create) return { newRS: undefined, oldRSs };
    return { newRS: await this.createNewReplicaSet(d, oldRSs, newRevision), oldRSs };
  }

  private async syncExistingNewReplicaSet(
    d: DeploymentObject,
    rsList: ReplicaSetObject[],
    existing: ReplicaSetObject,
    newRevision: number,
  ): Promise<ReplicaSetObject> {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, maxSurge(d));
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
      copy.spec = { ...copy.spec, minReadySeconds };
      const updated = await this.writeReplicaSet(copy);
      rsList[rsList.indexOf(existing)] = updated;
      return updated;
    }
    let needsUpdate = setDeploymentRevision(d, revisionOf(copy));
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      d.status ??= {};
      setCondition(d.status, newCondition('Progressing', 'True', progressingReasons.foundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return copy;
  }

  private async createNewReplicaSet(d: DeploymentObject, oldRSs: ReplicaSetObject[], newRevision: number): Promise<ReplicaSetObject> {
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const newRS: ReplicaSetObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace!,
        labels: template.metadata.labels!,
        ownerReferences: [controllerReference(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newReplicaSetReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false, maxSurge(d));

    let created: ReplicaSetObject;
    let alreadyExisted = false;
    try {
      created = await this.client.create<ReplicaSetObject>(resourcePath(gvr.replicaSets, d.metadata.namespace), newRS);
    } catch (err) {
      if (err instanceof ApiResponseError && err.status === 409 && err.reason === 'AlreadyExists') {
        const found =
          this.replicaSets.store.get(`${d.metadata.namespace ?? ''}/${name}`) ??
          (await this.client.get<ReplicaSetObject>(resourcePath(gvr.replicaSets, d.metadata.namespace, name)));
        if (controllerOf(found)?.uid !== d.metadata.uid || !templatesEqualIgnoringHash(d.spec?.template, found.spec?.template)) {
          // Another template (or owner) has this name: a hash collision. A new count gives a new name.
          d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
          await this.writeStatus(d);
          throw err;
        }
        created = found;
        alreadyExisted = true;
      } else {
        if (!isNamespaceTerminating(err)) {
          const message = `Failed to create new replica set "${name}": ${apiErrorText(err)}`;
          if (hasProgressDeadline(d)) {
            d.status ??= {};
            setCondition(d.status, newCondition('Progressing', 'False', progressingReasons.failedCreate, message));
            await this.writeStatus(d).catch(() => undefined);
          }
          this.recorder.event(d, 'Warning', progressingReasons.failedCreate, message);
        }
        throw err;
      }
    }
    if (!alreadyExisted && replicas > 0) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExisted && hasProgressDeadline(d)) {
      d.status ??= {};
      setCondition(d.status, newCondition('Progressing', 'True', progressingReasons.newReplicaSetCreated, `Created new replica set "${name}"`));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return created;
  }

  // Scaling

  /** A resize of the Deployment (not a template change): some ReplicaSet was sized for another count. */
  private async isScalingEvent(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, false);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasOf(rs);
      return desired !== undefined && desired !== desiredReplicas(d);
    });
  }

  /** Resizes without rolling: the only active ReplicaSet takes it all, else proportionally. */
  private async scaleAndSync(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanup(d, oldRSs);
    await this.syncStatus(d, [...oldRSs, newRS], newRS);
  }

  private async scale(d: DeploymentObject, newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): Promise<void> {
    const desired = desiredReplicas(d);
    const only = activeOrLatest(newRS, oldRSs);
    if (only) {
      if (specReplicas(only) !== desired) await this.scaleReplicaSet(d, only, desired);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleReplicaSet(d, old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const active = activeReplicaSets([...oldRSs, newRS]);
    const sizes = proportionalSizes(d, active);
    for (const rs of active) await this.scaleReplicaSet(d, rs, sizes.get(rs.metadata.name) ?? specReplicas(rs));
  }

  /**
   * Sets the ReplicaSet's size and its desired/max-replicas annotations; records a
   * ScalingReplicaSet event when the size changed. Answers the ReplicaSet as written.
   */
  private async scaleReplicaSet(d: DeploymentObject, rs: ReplicaSetObject, replicas: number): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    const from = specReplicas(rs);
    const resize = from !== replicas;
    if (!resize && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, replicas };
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.writeReplicaSet(copy);
    if (resize) {
      const direction = from < replicas ? 'up' : 'down';
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${replicas}`);
    }
    return { scaled: resize, rs: updated };
  }

  // Rolling update

  private async rolloutRolling(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, true);
    const all = present([...oldRSs, newRS]);
    if (newRS && (await this.reconcileNewReplicaSet(d, all, newRS))) return this.syncRolloutStatus(d, all, newRS);
    if (newRS && (await this.reconcileOldReplicaSets(d, all, activeReplicaSets(oldRSs), newRS))) return this.syncRolloutStatus(d, all, newRS);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(d, all, newRS);
  }

  private async reconcileNewReplicaSet(d: DeploymentObject, all: ReplicaSetObject[], newRS: ReplicaSetObject): Promise<boolean> {
    const desired = desiredReplicas(d);
    if (specReplicas(newRS) === desired) return false;
    if (specReplicas(newRS) > desired) return (await this.scaleReplicaSet(d, newRS, desired)).scaled;
    return (await this.scaleReplicaSet(d, newRS, newReplicaSetReplicas(d, all, newRS))).scaled;
  }

  /** Scales old ReplicaSets down as far as maxUnavailable allows, unhealthy replicas first. */
  private async reconcileOldReplicaSets(d: DeploymentObject, all: ReplicaSetObject[], oldRSs: ReplicaSetObject[], newRS: ReplicaSetObject): Promise<boolean> {
    if (replicaCount(oldRSs) === 0) return false;
    const minAvailable = desiredReplicas(d) - maxUnavailable(d);
    const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = replicaCount(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const cleaned = await this.cleanupUnhealthyReplicas(d, oldRSs, maxScaledDown);
    const scaledDown = await this.scaleDownOldReplicaSets(d, [...oldRSs, newRS], oldRSs);
    return cleaned + scaledDown > 0;
  }

  /** Removes old replicas that are not available anyway, oldest ReplicaSet first (updating oldRSs). */
  private async cleanupUnhealthyReplicas(d: DeploymentObject, oldRSs: ReplicaSetObject[], maxCleanup: number): Promise<number> {
    oldRSs.sort(byCreation);
    let total = 0;
    for (let i = 0; i < oldRSs.length && total < maxCleanup; i++) {
      const rs = oldRSs[i]!;
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const count = Math.min(maxCleanup - total, unhealthy);
      oldRSs[i] = (await this.scaleReplicaSet(d, rs, specReplicas(rs) - count)).rs;
      total += count;
    }
    return total;
  }

  /** Scales old ReplicaSets down while more than minAvailable replicas are available, oldest first. */
  private async scaleDownOldReplicaSets(d: DeploymentObject, all: ReplicaSetObject[], oldRSs: ReplicaSetObject[]): Promise<number> {
    const minAvailable = desiredReplicas(d) - maxUnavailable(d);
    const available = availableReplicaCount(all);
    if (available <= minAvailable) return 0;
    const budget = available - minAvailable;
    oldRSs.sort(byCreation);
    let total = 0;
    for (let i = 0; i < oldRSs.length && total < budget; i++) {
      const rs = oldRSs[i]!;
      if (specReplicas(rs) === 0) continue;
      const count = Math.min(specReplicas(rs), budget - total);
      oldRSs[i] = (await this.scaleReplicaSet(d, rs, specReplicas(rs) - count)).rs;
      total += count;
    }
    return total;
  }

  // Recreate

  private async rolloutRecreate(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    let { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) {
      if ((await this.scaleReplicaSet(d, rs, 0)).scaled) scaledDown = true;
    }
    if (scaledDown || this.oldPodsRunning(oldRSs)) return this.syncRolloutStatus(d, [...oldRSs, newRS], newRS);
    if (!newRS) ({ newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, true));
    if (newRS) await this.scaleReplicaSet(d, newRS, desiredReplicas(d));
    if (deploymentComplete(d, d.status ?? {})) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(d, [...oldRSs, newRS], newRS);
  }

  /** Any pod of an old ReplicaSet not yet finished keeps Recreate from starting the new one. */
  private oldPodsRunning(oldRSs: ReplicaSetObject[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    return oldRSs.some((rs) =>
      this.pods.store
        .byIndex('owner', rs.metadata.uid ?? '')
        .some((p) => controllerOf(p)?.uid === rs.metadata.uid && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
    );
  }

  // History

  /** Deletes the oldest old ReplicaSets beyond revisionHistoryLimit, once they are empty and settled. */
  private async cleanup(d: DeploymentObject, oldRSs: ReplicaSetObject[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of cleanable.slice(0, excess)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.client.delete(resourcePath(gvr.replicaSets, rs.metadata.namespace, rs.metadata.name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // Status

  private async checkPausedConditions(d: DeploymentObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const current = getCondition(d.status, 'Progressing');
    if (current?.reason === progressingReasons.timedOut) return;
    const pausedNoted = current?.reason === progressingReasons.paused;
    d.status ??= {};
    if (d.spec?.paused && !pausedNoted) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', progressingReasons.paused, 'Deployment is paused'));
    } else if (!d.spec?.paused && pausedNoted) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', progressingReasons.resumed, 'Deployment is resumed'));
    } else return;
    await this.writeStatus(d);
  }

  private async syncStatus(d: DeploymentObject, all: (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined): Promise<void> {
    const status = calculateStatus(d, present(all), newRS);
    if (sameStatus(d.status, status)) return;
    d.status = status;
    await this.writeStatus(d);
  }

  /** Status after a rollout step: the Progressing condition moves, completes or times out. */
  private async syncRolloutStatus(d: DeploymentObject, allWithGaps: (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined): Promise<void> {
    const all = present(allWithGaps);
    const status = calculateStatus(d, all, newRS);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const complete = status.replicas === status.updatedReplicas && current?.reason === progressingReasons.newReplicaSetAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition('Progressing', 'True', progressingReasons.newReplicaSetAvailable, `${subject} has successfully progressed.`));
      } else if (deploymentProgressing(d, status)) {
        const condition = newCondition('Progressing', 'True', progressingReasons.replicaSetUpdated, `${subject} is progressing.`);
        // Progress refreshes lastUpdateTime every time; lastTransitionTime only when it was not True.
        if (current?.status === 'True' && current.lastTransitionTime) condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
        setCondition(status, condition);
      } else if (deploymentTimedOut(d, status)) {
        setCondition(status, newCondition('Progressing', 'False', progressingReasons.timedOut, `${subject} has timed out progressing.`));
      }
    }
    const failure = replicaFailure(all, newRS);
    if (failure) setCondition(status, failure);
    else removeCondition(status, 'ReplicaFailure');
    if (sameStatus(d.status, status)) return this.requeueStuck(d, status);
    d.status = status;
    await this.writeStatus(d);
  }

  /** Looks again when the progress deadline would pass, since nothing else will wake us then. */
  private requeueStuck(d: DeploymentObject, status: Status): void {
    const c = getCondition(status, 'Progressing');
    if (!hasProgressDeadline(d) || !c?.lastUpdateTime) return;
    if (deploymentComplete(d, status) || c.reason === progressingReasons.timedOut) return;
    const key = `${d.metadata.namespace ?? ''}/${d.metadata.name}`;
    const after = Date.parse(c.lastUpdateTime) + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - Date.now();
    if (after < 1000) this.queue.addRateLimited(key);
    else this.queue.addAfter(key, after);
  }

  // Writes

  /** PUT /status; the copy then carries the server's answer (resourceVersion, status, annotations). */
  private async writeStatus(d: DeploymentObject): Promise<void> {
    const written = await this.client.update<DeploymentObject>(resourcePath(gvr.deployments, d.metadata.namespace, d.metadata.name, 'status'), d);
    d.metadata = written.metadata;
    if (written.status) d.status = written.status;
    else delete d.status;
  }

  private writeReplicaSet(rs: ReplicaSetObject): Promise<ReplicaSetObject> {
    return this.client.update<ReplicaSetObject>(resourcePath(gvr.replicaSets, rs.metadata.namespace, rs.metadata.name), {
      ...rs,
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
    });
  }
}

function present(rss: readonly (ReplicaSetObject | undefined)[]): ReplicaSetObject[] {
  return rss.filter((rs): rs is ReplicaSetObject => !!rs);
}

/** The new ReplicaSet's ReplicaFailure condition, else the first old one's, as a Deployment condition. */
function replicaFailure(all: readonly ReplicaSetObject[], newRS: ReplicaSetObject | undefined): DeploymentCondition | undefined {
  for (const rs of newRS ? [newRS, ...all] : all) {
    const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (c) {
      return {
        type: c.type,
        status: c.status,
        ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      };
    }
  }
  return undefined;
}
