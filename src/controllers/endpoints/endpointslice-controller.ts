// The EndpointSlice controller: for every Service with a selector, EndpointSlices listing the
// selected pods with ready/serving/terminating conditions, at most 100 endpoints each, labelled
// and owned as kube-controller-manager's are (the garbage collector removes them with the service).
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { ApiResponseError, WorkQueue, resourcePath, splitKey, type ApiClient, type EventRecorder, type Informer, gvr } from '../../client/index.js';
import { serviceAddressTypes, selectorMatches, type AddressType } from './service-endpoints.js';
import { queueServiceChanges, servicesForPods } from './service-pods.js';
import { controllerName, desiredEndpoints, managedByLabel, reconcileSlices, serviceNameLabel, type DesiredEndpoint } from './slice-reconciler.js';
import { TriggerTimeTracker } from './trigger-time-tracker.js';
import type { ControllerContext, PodObject, NodeObject, Cached } from '../shared/index.js';
import { errorMessage } from '../../lang/index.js';

const zoneLabel = 'topology.kubernetes.io/zone';
const workers = 5;

/** The informer has not yet seen our own last writes: syncing now would write twice. */
class StaleCache extends Error {}

export class EndpointSliceController {
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly queue = new WorkQueue<string>({ name: 'endpoint_slice' });
  private readonly services: Informer<Cached<Service>>;
  private readonly pods: Informer<PodObject>;
  private readonly slices: Informer<Cached<EndpointSlice>>;
  private readonly nodes: Informer<NodeObject>;
  private readonly triggerTimes = new TriggerTimeTracker();
  /** service key → slice name → resourceVersion we wrote, or 'deleted'. */
  private readonly expected = new Map<string, Map<string, number | 'deleted'>>();

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.recorder = ctx.recorder('endpoint-slice-controller');
    this.services = ctx.informers.informer<Cached<Service>>(gvr.services);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
    this.nodes = ctx.informers.informer<NodeObject>(gvr.nodes);
    this.slices = ctx.informers.informer<Cached<EndpointSlice>>(gvr.endpointSlices, { labelSelector: `${managedByLabel}=${controllerName}` });
    this.slices.addIndexer('service', (s) =>
      s.metadata.labels?.[serviceNameLabel] ? [`${s.metadata.namespace ?? ''}/${s.metadata.labels[serviceNameLabel]}`] : [],
    );

    queueServiceChanges(this.services, this.pods, this.queue);
    const sliceSeen = (s: Cached<EndpointSlice>, deleted: boolean) => {
      const key = this.serviceKey(s);
      if (!key) return;
      const wrote = this.expected.get(key);
      const want = wrote?.get(s.metadata.name);
      if (want !== undefined && (deleted || (want !== 'deleted' && Number(s.metadata.resourceVersion) >= want))) wrote!.delete(s.metadata.name);
      // A change we did not make (or a deletion by someone else) is undone by a sync.
      if (want === undefined || deleted) this.queue.add(key);
    };
    this.slices.addHandler({ onAdd: (s) => sliceSeen(s, false), onUpdate: (_, s) => sliceSeen(s, false), onDelete: (s) => sliceSeen(s, true) });
    this.nodes.addHandler({
      onUpdate: (old, n) => {
        if (old.metadata.labels?.[zoneLabel] === n.metadata.labels?.[zoneLabel]) return;
        for (const key of servicesForPods(this.services.store, ...this.pods.store.byIndex('node', n.metadata.name))) this.queue.add(key);
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.services, this.pods, this.slices, this.nodes].map((i) => i.waitForSync(signal)));
    await this.queue.run(
      workers,
      async (key) => {
        try {
          await this.sync(key);
        } catch (err) {
          if (!(err instanceof StaleCache)) throw err;
          this.queue.addAfter(key, 100);
        }
      },
      signal,
    );
  }

  private serviceKey(s: Cached<EndpointSlice>): string | undefined {
    const name = s.metadata.labels?.[serviceNameLabel];
    return name ? `${s.metadata.namespace ?? ''}/${name}` : undefined;
  }

  private async sync(key: string): Promise<void> {
    const { namespace } = splitKey(key);
    const service = this.services.store.get(key);
    if (!service) {
      // The slices are owned by the service: the garbage collector removes them.
      this.triggerTimes.delete(key);
      this.expected.delete(key);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !service.spec?.selector) return;
    const wrote = this.expected.get(key);
    for (const [name, want] of wrote ?? []) {
      const cached = this.slices.store.get(`${namespace}/${name}`);
      if (want === 'deleted' ? cached : !cached || Number(cached.metadata.resourceVersion) < want) throw new StaleCache();
      wrote!.delete(name);
    }
    const selector = service.spec.selector;
    const pods = this.pods.store.listNamespace(namespace).filter((p) => selectorMatches(selector, p.metadata.labels));
    const existing = this.slices.store.byIndex('service', key).filter((s) => !s.metadata.deletionTimestamp);
    const triggerTime = this.triggerTimes.compute(key, service, pods);
    const desired = new Map<AddressType, DesiredEndpoint[]>();
    const zoneOf = (node: string) => this.nodes.store.get(node)?.metadata.labels?.[zoneLabel];
    for (const t of serviceAddressTypes(service)) desired.set(t, desiredEndpoints(service, pods, t, zoneOf));
    const plan = reconcileSlices(service, existing, desired, triggerTime);
    if (!plan.create.length && !plan.update.length && !plan.delete.length) return;

    const record = (name: string, v: number | 'deleted') => {
      let m = this.expected.get(key);
      if (!m) this.expected.set(key, (m = new Map<string, number | 'deleted'>()));
      m.set(name, v);
    };
    try {
      // Creates and updates before deletes, so the service never shows fewer endpoints than it has.
      for (const s of plan.create) {
        const made = await this.client.create<Cached<EndpointSlice>>(resourcePath(gvr.endpointSlices, namespace), s);
        record(made.metadata.name, Number(made.metadata.resourceVersion));
      }
      for (const s of plan.update) {
        const written = await this.client.update<Cached<EndpointSlice>>(resourcePath(gvr.endpointSlices, namespace, s.metadata?.name), s);
        record(written.metadata.name, Number(written.metadata.resourceVersion));
      }
      for (const s of plan.delete) {
        const name = s.metadata?.name ?? '';
        try {
          await this.client.delete(resourcePath(gvr.endpointSlices, namespace, name));
        } catch (err) {
          if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
        }
        record(name, 'deleted');
      }
    } catch (err) {
      // A namespace being deleted refuses new objects; its services are going too.
      if (err instanceof ApiResponseError && err.status === 403) return;
      if (!(err instanceof ApiResponseError && err.status === 409)) {
        this.recorder.event(service, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${errorMessage(err)}`);
      }
      throw err;
    }
  }
}
