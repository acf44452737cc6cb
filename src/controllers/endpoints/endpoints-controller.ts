// The Endpoints controller: keeps one Endpoints object per Service with a selector, listing the
// selected pods' addresses (ready and not ready) and ports, as kube-controller-manager's does.
// Services without a selector are left to whoever writes their Endpoints.
import type { Endpoints, EndpointSubset, Service } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, WorkQueue, objectKey, resourcePath, splitKey, type ApiClient, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { endpointSubsets, isHeadless, selectorMatches } from './service-endpoints.js';
import { queueServiceChanges } from './service-pods.js';
import { TriggerTimeTracker, lastChangeTriggerTime } from './trigger-time-tracker.js';
import { headlessLabel } from './slice-reconciler.js';
import type { ControllerContext, PodObject, Cached } from '../shared/index.js';
import { errorMessage, jsonEqual } from '../../lang/index.js';

const leaderAnnotation = 'control-plane.alpha.kubernetes.io/leader';
const overCapacity = 'endpoints.kubernetes.io/over-capacity';
/** kube truncates an Endpoints object beyond this many addresses (EndpointSlices carry the rest). */
const maxAddresses = 1000;
const workers = 5;

export class EndpointsController {
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly queue = new WorkQueue<string>({ name: 'endpoint' });
  private readonly services: Informer<Cached<Service>>;
  private readonly pods: Informer<PodObject>;
  private readonly endpoints: Informer<Cached<Endpoints>>;
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.recorder = ctx.recorder('endpoint-controller');
    this.services = ctx.informers.informer<Cached<Service>>(gvr.services);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    this.endpoints = ctx.informers.informer<Cached<Endpoints>>(gvr.endpoints);
    queueServiceChanges(this.services, this.pods, this.queue);
    // Someone removed an Endpoints object of a service: put it back.
    this.endpoints.addHandler({ onDelete: (e) => this.queue.add(objectKey(e)) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.services.waitForSync(signal), this.pods.waitForSync(signal), this.endpoints.waitForSync(signal)]);
    // Endpoints left by services deleted while no controller ran; leader election records are not endpoints of services.
    for (const e of this.endpoints.store.list()) {
      if (!this.services.store.get(objectKey(e)) && !e.metadata.annotations?.[leaderAnnotation]) this.queue.add(objectKey(e));
    }
    await this.queue.run(workers, (key) => this.sync(key), signal);
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const path = resourcePath(gvr.endpoints, namespace, name);
    const service = this.services.store.get(key);
    if (!service) {
      this.triggerTimes.delete(key);
      try {
        await this.client.delete(path);
      } catch (err) {
        if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
      }
      return;
    }
    if (service.spec?.type === 'ExternalName' || !service.spec?.selector) return;
    const selector = service.spec.selector;
    const pods = this.pods.store.listNamespace(namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const triggerTime = this.triggerTimes.compute(key, service, pods);
    const { subsets, truncated } = truncate(endpointSubsets(service, pods));

    const current = this.endpoints.store.get(key);
    const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
    if (isHeadless(service)) labels[headlessLabel] = '';
    const currentLabels = { ...(current?.metadata.labels ?? {}) };
    if (
      current &&
      jsonEqual(current.subsets ?? [], subsets) &&
      jsonEqual(sorted(currentLabels), sorted(labels)) &&
      (current.metadata.annotations?.[overCapacity] === 'truncated') === truncated
    ) {
      return;
    }
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime) annotations[lastChangeTriggerTime] = triggerTime;
    else delete annotations[lastChangeTriggerTime];
    if (truncated) annotations[overCapacity] = 'truncated';
    else delete annotations[overCapacity];
    const desired: Cached<Endpoints> = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? {}),
        name,
        namespace,
        labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!Object.keys(annotations).length) delete desired.metadata.annotations;
    try {
      if (current) await this.client.update(path, desired);
      else await this.client.create(resourcePath(gvr.endpoints, namespace), desired);
    } catch (err) {
      // A namespace being deleted refuses new objects; its service is going too.
      if (!current && err instanceof ApiResponseError && err.status === 403) return;
      if (err instanceof ApiResponseError && err.status === 409) throw err;
      this.recorder.event(
        desired,
        'Warning',
        current ? 'FailedToUpdateEndpoint' : 'FailedToCreateEndpoint',
        `Failed to ${current ? 'update' : 'create'} endpoint ${namespace}/${name}: ${errorMessage(err)}`,
      );
      throw err;
    }
  }
}

/** kube keeps at most 1000 addresses in an Endpoints object, ready ones first. */
function truncate(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  let total = 0;
  for (const s of subsets) total += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (total <= maxAddresses) return { subsets, truncated: false };
  let room = maxAddresses;
  const out: EndpointSubset[] = [];
  for (const s of subsets) {
    const addresses = (s.addresses ?? []).slice(0, room);
    room -= addresses.length;
    const notReady = (s.notReadyAddresses ?? []).slice(0, room);
    room -= notReady.length;
    if (addresses.length || notReady.length)
      out.push({ ...s, ...(addresses.length ? { addresses } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}) });
  }
  return { subsets: out, truncated: true };
}

function sorted(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}
