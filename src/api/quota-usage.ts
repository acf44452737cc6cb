// How much of a ResourceQuota one object uses, as kube's quota evaluators measure it: pods
// (compute requests and limits, pod counts), services (node ports, load balancers), claims
// (storage, per storage class) and object counts (`count/<resource>.<group>`) for everything.
// Shared by ResourceQuota admission (charging a write) and the quota controller (recounting).
import { podQosClass } from './strategies/pod-qos.js';
import { podResourceTotals } from './pod-resources.js';
import { addQuantity, fromInteger, parseQuantity, type Quantity } from './resource-quantity.js';

type Obj = Record<string, unknown>;
export type ResourceUsage = Map<string, Quantity>;

export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

function rec(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

/** `count/pods`, `count/deployments.apps`. */
function objectCountName(gr: GroupResource): string {
  return gr.group ? `count/${gr.resource}.${gr.group}` : `count/${gr.resource}`;
}

/** Core kinds whose plain name counts objects too (the names quota had before `count/`). */
const legacyCountNames: Record<string, string> = {
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

const podResourceNames = new Set([
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
]);

/** Resources that, when a quota tracks them, every container must state (kube's old rule, kept for compatibility). */
const mustSpecify = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const nativePrefixes = ['kubernetes.io/', 'requests.kubernetes.io/'];

function isExtendedQuotaName(name: string): boolean {
  return name.startsWith('requests.') && name.includes('/') && !nativePrefixes.some((p) => name.slice('requests.'.length).startsWith(p));
}

/** Of the quota's hard resource names, those an object of this kind can use. */
export function matchingResources(gr: GroupResource, names: readonly string[]): string[] {
  const count = objectCountName(gr);
  if (gr.group === '' && gr.resource === 'pods') {
    return names.filter((n) => podResourceNames.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || isExtendedQuotaName(n));
  }
  if (gr.group === '' && gr.resource === 'services') {
    return names.filter((n) => n === count || n === 'services' || n === 'services.loadbalancers' || n === 'services.nodeports');
  }
  if (gr.group === '' && gr.resource === 'persistentvolumeclaims') {
    return names.filter(
      (n) =>
        n === count ||
        n === 'persistentvolumeclaims' ||
        n === 'requests.storage' ||
        /\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.test(n),
    );
  }
  const legacy = gr.group === '' ? legacyCountNames[gr.resource] : undefined;
  return names.filter((n) => n === count || (legacy !== undefined && n === legacy));
}

/** Whether writes of this kind can change usage: creates always, updates for services and claims (and pod resizes). */
export function chargesUpdates(gr: GroupResource): boolean {
  return gr.group === '' && (gr.resource === 'services' || gr.resource === 'persistentvolumeclaims');
}

/** A pod stops counting against compute quota once terminal or past its deletion grace period. */
function podCounts(pod: Readonly<Obj>, now: number): boolean {
  const phase = rec(pod.status)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const meta = rec(pod.metadata);
  const deletion = typeof meta?.deletionTimestamp === 'string' ? Date.parse(meta.deletionTimestamp) : NaN;
  if (!Number.isNaN(deletion)) {
    const grace = typeof meta?.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : 0;
    if (now > deletion + grace * 1000) return false;
  }
  return true;
}

function set(usage: ResourceUsage, name: string, q: Quantity): void {
  usage.set(name, usage.has(name) ? addQuantity(usage.get(name)!, q) : q);
}

/** The usage of one object; names not tracked by any quota are harmless extras. */
export function objectUsage(gr: GroupResource, obj: Readonly<Obj>, now = Date.now()): ResourceUsage {
  const usage: ResourceUsage = new Map();
  const one = fromInteger(1);
  usage.set(objectCountName(gr), one);
  if (gr.group !== '') return usage;
  const legacy = legacyCountNames[gr.resource];
  if (legacy) usage.set(legacy, one);
  const spec = rec(obj.spec);
  if (gr.resource === 'pods') {
    if (!podCounts(obj, now)) return usage;
    usage.set('pods', one);
    const requests = podResourceTotals(spec, 'requests');
    const limits = podResourceTotals(spec, 'limits');
    for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
      const req = requests.get(r);
      if (req) {
        usage.set(r, req);
        usage.set(`requests.${r}`, req);
      }
      const lim = limits.get(r);
      if (lim) usage.set(`limits.${r}`, lim);
    }
    for (const [r, v] of requests) {
      if (r.startsWith('hugepages-')) {
        usage.set(r, v);
        usage.set(`requests.${r}`, v);
      } else if (r.includes('/') && !nativePrefixes.some((p) => r.startsWith(p))) {
        usage.set(`requests.${r}`, v);
      }
    }
    return usage;
  }
  if (gr.resource === 'services') {
    usage.set('services', one);
    const type = spec?.type;
    const ports = Array.isArray(spec?.ports) ? spec.ports.length : 0;
    if (type === 'LoadBalancer') {
      usage.set('services.loadbalancers', one);
      if (spec?.allocateLoadBalancerNodePorts !== false) usage.set('services.nodeports', fromInteger(ports));
    } else if (type === 'NodePort') {
      usage.set('services.nodeports', fromInteger(ports));
    }
    return usage;
  }
  if (gr.resource === 'persistentvolumeclaims') {
    usage.set('persistentvolumeclaims', one);
    const className = typeof spec?.storageClassName === 'string' ? spec.storageClassName : '';
    if (className) usage.set(`${className}.storageclass.storage.k8s.io/persistentvolumeclaims`, one);
    const storage = parseQuantity(rec(rec(spec?.resources)?.requests)?.storage);
    // A claim being expanded is charged for the larger of spec and status.
    const allocated = parseQuantity(rec(rec(obj.status)?.allocatedResources)?.storage);
    const charged = storage && allocated ? (allocated.nanos > storage.nanos ? allocated : storage) : (storage ?? allocated);
    if (charged) {
      set(usage, 'requests.storage', charged);
      if (className) set(usage, `${className}.storageclass.storage.k8s.io/requests.storage`, charged);
    }
  }
  return usage;
}

export interface ScopeSelector {
  readonly scopeName: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** The quota's scopes and scope selector as one list of requirements. */
function quotaScopeSelectors(quota: Readonly<Obj>): ScopeSelector[] {
  const spec = rec(quota.spec);
  const out: ScopeSelector[] = [];
  for (const s of Array.isArray(spec?.scopes) ? spec.scopes : []) if (typeof s === 'string') out.push({ scopeName: s, operator: 'Exists' });
  const exprs = rec(spec?.scopeSelector)?.matchExpressions;
  for (const e of Array.isArray(exprs) ? exprs : []) {
    const x = rec(e);
    if (!x || typeof x.scopeName !== 'string') continue;
    out.push({
      scopeName: x.scopeName,
      operator: typeof x.operator === 'string' ? x.operator : '',
      ...(Array.isArray(x.values) ? { values: x.values.filter((v): v is string => typeof v === 'string') } : {}),
    });
  }
  return out;
}

function podMatchesScope(pod: Readonly<Obj>, s: ScopeSelector): boolean {
  const spec = rec(pod.spec);
  const terminating = typeof spec?.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
  const bestEffort = podQosClass(spec) === 'BestEffort';
  switch (s.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return bestEffort;
    case 'NotBestEffort':
      return !bestEffort;
    case 'PriorityClass': {
      const name = typeof spec?.priorityClassName === 'string' ? spec.priorityClassName : '';
      switch (s.operator) {
        case 'Exists':
          return name !== '';
        case 'DoesNotExist':
          return name === '';
        case 'In':
          return name !== '' && (s.values ?? []).includes(name);
        case 'NotIn':
          return name === '' || !(s.values ?? []).includes(name);
        default:
          return false;
      }
    }
    case 'CrossNamespacePodAffinity': {
      const affinity = rec(spec?.affinity);
      const terms = [rec(affinity?.podAffinity), rec(affinity?.podAntiAffinity)].flatMap((a) => [
        ...list(a?.requiredDuringSchedulingIgnoredDuringExecution),
        ...list(a?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => rec(w)?.podAffinityTerm),
      ]);
      return terms.some((t) => {
        const term = rec(t);
        return (Array.isArray(term?.namespaces) && term.namespaces.length > 0) || term?.namespaceSelector != null;
      });
    }
    default:
      return false;
  }
}

/** Whether the quota covers the object: it tracks something the object uses, and every scope matches. */
export function quotaMatches(gr: GroupResource, quota: Readonly<Obj>, obj: Readonly<Obj>, hardNames: readonly string[]): boolean {
  if (!matchingResources(gr, hardNames).length) return false;
  const isPod = gr.group === '' && gr.resource === 'pods';
  return quotaScopeSelectors(quota).every((s) => isPod && podMatchesScope(obj, s));
}

/**
 * The containers that leave out a resource the quota tracks and every container must state:
 * `limits.cpu for: web; requests.memory for: db,web` (kube's message after "must specify ").
 */
export function missingContainerResources(pod: Readonly<Obj>, tracked: readonly string[]): string | undefined {
  const required = tracked.filter((t) => mustSpecify.has(t));
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const spec = rec(pod.spec);
  const all = [...list(spec?.containers), ...list(spec?.initContainers)];
  for (const c of all) {
    const container = rec(c);
    if (!container) continue;
    const resources = rec(container.resources);
    const requests = rec(resources?.requests) ?? {};
    const limits = rec(resources?.limits) ?? {};
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined) has.add(r).add(`requests.${r}`);
      if (limits[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of required) {
      if (has.has(r)) continue;
      const names = missing.get(r) ?? new Set<string>();
      names.add(typeof container.name === 'string' ? container.name : '');
      missing.set(r, names);
    }
  }
  if (!missing.size) return undefined;
  return [...missing.keys()]
    .sort()
    .map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
    .join('; ');
}
