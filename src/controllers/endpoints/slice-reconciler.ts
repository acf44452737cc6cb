// The EndpointSlices a Service should have, worked out from what exists as kube's reconciler
// does: slices are kept per address type and port set, endpoints still wanted stay where they are,
// changed ones are rewritten in place, new ones fill slices being written anyway and then new
// slices of at most maxEndpointsPerSlice; an empty service keeps one placeholder slice.
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { findPort, isHeadless, podAddress, serviceAddressTypes, shouldPodBeInEndpoints, shouldSetHostname, type AddressType } from './service-endpoints.js';
import { isPodReady } from '../shared/index.js';
import { lastChangeTriggerTime } from './trigger-time-tracker.js';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';
export const headlessLabel = 'service.kubernetes.io/headless';
const maxEndpointsPerSlice = 100;

export interface DesiredEndpoint {
  readonly ports: EndpointPort[];
  readonly endpoint: Endpoint;
}

export interface SlicePlan {
  readonly create: EndpointSlice[];
  readonly update: EndpointSlice[];
  readonly delete: EndpointSlice[];
}

/** Each pod's endpoint for the address type, with the ports it serves; terminating pods stay, marked so. */
export function desiredEndpoints(
  service: Service,
  pods: readonly Pod[],
  addressType: AddressType,
  zoneOf: (node: string) => string | undefined,
): DesiredEndpoint[] {
  const out: DesiredEndpoint[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podAddress(pod, addressType);
    if (!ip) continue;
    const ports: EndpointPort[] = [];
    for (const sp of service.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = isPodReady(pod);
    const terminating = !!pod.metadata?.deletionTimestamp;
    const nodeName = pod.spec?.nodeName;
    const zone = nodeName ? zoneOf(nodeName) : undefined;
    out.push({
      ports,
      endpoint: {
        addresses: [ip],
        // A terminating pod is never ready, unless the service publishes unready addresses.
        conditions: { ready: service.spec?.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
        ...(shouldSetHostname(pod, service) ? { hostname: pod.spec!.hostname! } : {}),
        targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
        ...(nodeName ? { nodeName } : {}),
        ...(zone ? { zone } : {}),
      },
    });
  }
  return out;
}

/** The labels every slice of the service carries: the service's own, then the controller's. */
function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata?.labels ?? {})) if (k !== serviceNameLabel && k !== managedByLabel && k !== headlessLabel) labels[k] = v;
  labels[serviceNameLabel] = service.metadata?.name ?? '';
  if (isHeadless(service)) labels[headlessLabel] = '';
  labels[managedByLabel] = controllerName;
  return labels;
}

const endpointKey = (e: Endpoint) => `${e.targetRef?.uid ?? ''}/${e.addresses.join(',')}`;
const portsKey = (ports: readonly EndpointPort[] | undefined) =>
  JSON.stringify([...(ports ?? [])].map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort());

/** Creates, updates and deletes that bring the service's slices to the desired endpoints. */
export function reconcileSlices(
  service: Service,
  existing: readonly EndpointSlice[],
  desiredByType: ReadonlyMap<AddressType, readonly DesiredEndpoint[]>,
  triggerTime: string | undefined,
  maxPerSlice = maxEndpointsPerSlice,
): SlicePlan {
  const plan = { create: [] as EndpointSlice[], update: [] as EndpointSlice[], delete: [] as EndpointSlice[] };
  const labels = sliceLabels(service);
  const wantedTypes = new Set(serviceAddressTypes(service));
  let total = 0;
  for (const s of existing) if (!wantedTypes.has(s.addressType as AddressType)) plan.delete.push(s);

  for (const addressType of wantedTypes) {
    const desired = desiredByType.get(addressType) ?? [];
    total += desired.length;
    // port set → endpoints by key
    const wanted = new Map<string, { ports: EndpointPort[]; endpoints: Map<string, Endpoint> }>();
    for (const d of desired) {
      const k = portsKey(d.ports);
      let g = wanted.get(k);
      if (!g) wanted.set(k, (g = { ports: d.ports, endpoints: new Map() }));
      g.endpoints.set(endpointKey(d.endpoint), d.endpoint);
    }
    const ofType = existing.filter((s) => s.addressType === addressType);
    const kept: { slice: EndpointSlice; changed: boolean; portsKey: string }[] = [];
    for (const slice of ofType) {
      const k = portsKey(slice.ports);
      const group = wanted.get(k);
      if (!group) {
        plan.delete.push(slice);
        continue;
      }
      const endpoints: Endpoint[] = [];
      let changed = false;
      for (const e of slice.endpoints ?? []) {
        const want = group.endpoints.get(endpointKey(e));
        if (!want) {
          changed = true;
          continue;
        }
        group.endpoints.delete(endpointKey(e));
        if (JSON.stringify(want) !== JSON.stringify(e)) changed = true;
        endpoints.push(want);
      }
      if (!endpoints.length) {
        plan.delete.push(slice);
        continue;
      }
      kept.push({ slice: { ...slice, endpoints }, changed, portsKey: k });
    }
    for (const [k, group] of wanted) {
      const left = [...group.endpoints.values()];
      // Fill the slices being written anyway, then those with room, then new ones.
      const candidates = kept.filter((s) => s.portsKey === k).sort((a, b) => Number(b.changed) - Number(a.changed));
      for (const c of candidates) {
        while (left.length && c.slice.endpoints.length < maxPerSlice) {
          c.slice.endpoints.push(left.shift()!);
          c.changed = true;
        }
      }
      while (left.length) {
        plan.create.push(newSlice(service, labels, addressType, group.ports, left.splice(0, maxPerSlice), triggerTime));
      }
    }
    for (const k of kept) {
      const labelsDiffer = JSON.stringify(sortedEntries(k.slice.metadata?.labels)) !== JSON.stringify(sortedEntries(labels));
      if (!k.changed && !labelsDiffer) continue;
      plan.update.push(withTrigger({ ...k.slice, metadata: { ...k.slice.metadata, labels } }, triggerTime));
    }
  }

  // A service without endpoints keeps one empty slice, so consumers can tell "none" from "not yet".
  const remaining = existing.length - plan.delete.length + plan.create.length;
  if (total === 0 && remaining === 0) {
    const placeholder = plan.delete.find((s) => !s.endpoints?.length && !s.ports?.length && s.addressType === [...wantedTypes][0]);
    if (placeholder) plan.delete.splice(plan.delete.indexOf(placeholder), 1);
    else plan.create.push(newSlice(service, labels, [...wantedTypes][0] ?? 'IPv4', [], [], triggerTime));
  }
  return plan;
}

function newSlice(
  service: Service,
  labels: Record<string, string>,
  addressType: AddressType,
  ports: EndpointPort[],
  endpoints: Endpoint[],
  triggerTime: string | undefined,
): EndpointSlice {
  const name = service.metadata?.name ?? '';
  return withTrigger(
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        // The generated suffix needs room within the 63 characters of a name.
        generateName: `${name.length > 57 ? name.slice(0, 57) : name}-`,
        namespace: service.metadata?.namespace ?? '',
        labels,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      addressType,
      endpoints,
      ports,
    },
    triggerTime,
  );
}

function withTrigger(slice: EndpointSlice, triggerTime: string | undefined): EndpointSlice {
  const annotations = { ...(slice.metadata?.annotations ?? {}) };
  if (triggerTime) annotations[lastChangeTriggerTime] = triggerTime;
  else delete annotations[lastChangeTriggerTime];
  const metadata = { ...slice.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...slice, metadata };
}

function sortedEntries(o: Record<string, string> | undefined): [string, string][] {
  return Object.entries(o ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
