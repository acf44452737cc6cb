// Which pods back a Service and how, as kube-controller-manager's endpoint controllers read them:
// selector match, readiness, terminal and terminating pods, ports resolved by name from the
// containers, hostnames for subdomains, and the Endpoints subsets packed by port set.
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../shared/index.js';

export type AddressType = 'IPv4' | 'IPv6';

export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** Terminal pods and pods without an IP never count; terminating ones only when asked for. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** The container port a service port reaches on this pod: a number as is, a name looked up in the containers. */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;
}

const isIPv6 = (ip: string) => ip.includes(':');

/** The address families the service's endpoints come in. */
export function serviceAddressTypes(service: Service): AddressType[] {
  const families = service.spec?.ipFamilies;
  if (families?.length) return families.filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6');
  const ip = service.spec?.clusterIP;
  if (ip && ip !== 'None') return [isIPv6(ip) ? 'IPv6' : 'IPv4'];
  return ['IPv4'];
}

/** The pod's IP of the family, or undefined when it has none. */
export function podAddress(pod: Pod, family: AddressType): string | undefined {
  const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip ?? '') : pod.status?.podIP ? [pod.status.podIP] : [];
  return ips.find((ip) => ip && isIPv6(ip) === (family === 'IPv6'));
}

export function isHeadless(service: Service): boolean {
  return !service.spec?.clusterIP || service.spec.clusterIP === 'None';
}

function endpointPort(servicePort: ServicePort, port: number): EndpointPort {
  return {
    ...(servicePort.name ? { name: servicePort.name } : {}),
    port,
    protocol: servicePort.protocol ?? 'TCP',
    ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
  };
}

/** The Endpoints subsets of a service: every address grouped with the exact set of ports it serves, ready apart from not ready. */
export function endpointSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const tolerateUnready = service.spec?.publishNotReadyAddresses === true;
  const family = serviceAddressTypes(service)[0] ?? 'IPv4';
  const ports = service.spec?.ports ?? [];
  // address key → address, readiness and the ports it serves
  const byAddress = new Map<string, { address: EndpointAddress; ready: boolean; ports: EndpointPort[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podAddress(pod, family);
    if (!ip) continue;
    const address: EndpointAddress = {
      ip,
      ...(shouldSetHostname(pod, service) ? { hostname: pod.spec!.hostname! } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    };
    const ready = tolerateUnready || isPodReady(pod);
    const served: EndpointPort[] = [];
    if (!ports.length) {
      // Only a headless service may have endpoints without ports.
      if (service.spec?.clusterIP !== 'None') continue;
    } else {
      for (const sp of ports) {
        const n = findPort(pod, sp);
        if (n !== undefined) served.push(endpointPort(sp, n));
      }
      if (!served.length) continue;
    }
    byAddress.set(`${ip}/${address.targetRef?.uid ?? ''}`, { address, ready, ports: served });
  }
  const subsets = new Map<string, EndpointSubset & { addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[] }>();
  for (const { address, ready, ports: served } of byAddress.values()) {
    const sorted = [...served].sort(comparePorts);
    const key = JSON.stringify(sorted);
    let s = subsets.get(key);
    if (!s) subsets.set(key, (s = { addresses: [], notReadyAddresses: [], ...(sorted.length ? { ports: sorted } : {}) }));
    (ready ? s.addresses : s.notReadyAddresses).push(address);
  }
  const out: EndpointSubset[] = [];
  for (const s of subsets.values()) {
    s.addresses.sort(compareAddresses);
    s.notReadyAddresses.sort(compareAddresses);
    out.push({
      ...(s.addresses.length ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ...(s.ports ? { ports: s.ports } : {}),
    });
  }
  return out.sort((a, b) => compareAddresses(firstAddress(a), firstAddress(b)));
}

function firstAddress(s: EndpointSubset): EndpointAddress {
  return s.addresses?.[0] ?? s.notReadyAddresses?.[0] ?? { ip: '' };
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  return a.port - b.port || (a.name ?? '').localeCompare(b.name ?? '') || (a.protocol ?? '').localeCompare(b.protocol ?? '');
}

/** By IP in numeric order, then by the pod's uid. */
function compareAddresses(a: { ip: string; targetRef?: { uid?: string } }, b: { ip: string; targetRef?: { uid?: string } }): number {
  return compareIPs(a.ip, b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
}

function compareIPs(a: string, b: string): number {
  if (!isIPv6(a) && !isIPv6(b)) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  }
  return a.localeCompare(b);
}
