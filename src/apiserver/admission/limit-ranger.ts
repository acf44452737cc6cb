// LimitRanger admission, as kube-apiserver enables by default: a new pod's containers get the
// namespace's LimitRange defaults (default limits, defaultRequest requests) and an annotation
// saying what was set; pods and PersistentVolumeClaims outside min, max or maxLimitRequestRatio
// are refused with 403 Forbidden and kube's messages.
import { ApiError, type ResourceInfo, podQosClass, podResourceTotals } from '../../api/index.js';
import { canonicalQuantity, compareQuantity, milliValue, parseQuantity, formatQuantity, type Quantity } from '../../api/index.js';
import type { AdmissionPlugin } from '../registry/admission.js';
import type { ObjectMap } from '../watch-cache.js';

type Obj = Record<string, unknown>;
type ResourceList = Record<string, unknown>;

const annotation = 'kubernetes.io/limit-ranger';

function rec(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function items(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((x): x is Obj => rec(x) !== undefined) : [];
}

interface LimitItem {
  readonly type: string;
  readonly min: ResourceList;
  readonly max: ResourceList;
  readonly default: ResourceList;
  readonly defaultRequest: ResourceList;
  readonly maxLimitRequestRatio: ResourceList;
}

function limitItems(limitRange: Readonly<ObjectMap>): LimitItem[] {
  return items(rec(limitRange.spec)?.limits).map((l) => ({
    type: typeof l.type === 'string' ? l.type : '',
    min: rec(l.min) ?? {},
    max: rec(l.max) ?? {},
    default: rec(l.default) ?? {},
    defaultRequest: rec(l.defaultRequest) ?? {},
    maxLimitRequestRatio: rec(l.maxLimitRequestRatio) ?? {},
  }));
}

/** Fills missing container requests and limits from the range's Container defaults; answers the annotation parts. */
function applyContainerDefaults(spec: Obj, limitRange: Readonly<ObjectMap>): string[] {
  const defaults = { requests: {} as ResourceList, limits: {} as ResourceList };
  for (const l of limitItems(limitRange)) {
    if (l.type !== 'Container') continue;
    Object.assign(defaults.requests, l.defaultRequest);
    Object.assign(defaults.limits, l.default);
  }
  const notes: string[] = [];
  const fill = (containers: Obj[], what: string) => {
    for (const c of containers) {
      const resources = rec(c.resources) ?? {};
      const requests = rec(resources.requests) ?? {};
      const limits = rec(resources.limits) ?? {};
      const setRequests: string[] = [];
      const setLimits: string[] = [];
      for (const [k, v] of Object.entries(defaults.limits)) {
        if (limits[k] === undefined) {
          limits[k] = v;
          setLimits.push(k);
        }
      }
      for (const [k, v] of Object.entries(defaults.requests)) {
        if (requests[k] === undefined) {
          requests[k] = v;
          setRequests.push(k);
        }
      }
      if (setRequests.length || setLimits.length) {
        if (Object.keys(requests).length) resources.requests = requests;
        if (Object.keys(limits).length) resources.limits = limits;
        c.resources = resources;
      }
      const name = typeof c.name === 'string' ? c.name : '';
      if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${what} ${name}`);
      if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${what} ${name}`);
    }
  };
  fill(items(spec.containers), 'container');
  fill(items(spec.initContainers), 'init container');
  return notes;
}

function q(list: ResourceList, name: string): Quantity | undefined {
  return list[name] === undefined ? undefined : parseQuantity(list[name]);
}

function minConstraint(type: string, name: string, enforced: unknown, requests: ResourceList, limits: ResourceList): string | undefined {
  const e = parseQuantity(enforced);
  if (!e) return undefined;
  const shown = canonicalQuantity(enforced);
  const req = q(requests, name);
  const lim = q(limits, name);
  if (!req) return `minimum ${name} usage per ${type} is ${shown}.  No request is specified`;
  if (compareQuantity(req, e) < 0) return `minimum ${name} usage per ${type} is ${shown}, but request is ${formatQuantity(req)}`;
  if (lim && compareQuantity(lim, e) < 0) return `minimum ${name} usage per ${type} is ${shown}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: unknown, requests: ResourceList, limits: ResourceList): string | undefined {
  const e = parseQuantity(enforced);
  if (!e) return undefined;
  const shown = canonicalQuantity(enforced);
  const req = q(requests, name);
  const lim = q(limits, name);
  if (!lim) return `maximum ${name} usage per ${type} is ${shown}.  No limit is specified`;
  if (compareQuantity(lim, e) > 0) return `maximum ${name} usage per ${type} is ${shown}, but limit is ${formatQuantity(lim)}`;
  if (req && compareQuantity(req, e) > 0) return `maximum ${name} usage per ${type} is ${shown}, but request is ${formatQuantity(req)}`;
  return undefined;
}

/** For claims only requests count: the max applies to what is asked for. */
function maxRequestConstraint(type: string, name: string, enforced: unknown, requests: ResourceList): string | undefined {
  const e = parseQuantity(enforced);
  if (!e) return undefined;
  const shown = canonicalQuantity(enforced);
  const req = q(requests, name);
  if (!req) return `maximum ${name} usage per ${type} is ${shown}.  No request is specified`;
  if (compareQuantity(req, e) > 0) return `maximum ${name} usage per ${type} is ${shown}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: unknown, requests: ResourceList, limits: ResourceList): string | undefined {
  const e = parseQuantity(enforced);
  if (!e) return undefined;
  const shown = canonicalQuantity(enforced);
  const req = q(requests, name);
  const lim = q(limits, name);
  if (!req || milliValue(req) === 0) return `${name} max limit to request ratio per ${type} is ${shown}, but no request is specified or request is 0`;
  if (!lim || milliValue(lim) === 0) return `${name} max limit to request ratio per ${type} is ${shown}, but no limit is specified or limit is 0`;
  const ratio = milliValue(lim) / milliValue(req);
  if (ratio * 1000 > milliValue(e)) return `${name} max limit to request ratio per ${type} is ${shown}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function containerLists(c: Obj): { requests: ResourceList; limits: ResourceList } {
  const resources = rec(c.resources);
  return { requests: rec(resources?.requests) ?? {}, limits: rec(resources?.limits) ?? {} };
}

function podTotals(spec: Readonly<Obj>, which: 'requests' | 'limits'): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of podResourceTotals(spec, which)) out[k] = formatQuantity(v);
  return out;
}

/** Every constraint of the range the pod breaks, in kube's words. */
function podViolations(spec: Readonly<Obj>, limitRange: Readonly<ObjectMap>): string[] {
  const errs: string[] = [];
  const check = (type: string, l: LimitItem, requests: ResourceList, limits: ResourceList) => {
    for (const [k, v] of Object.entries(l.min)) pushIf(errs, minConstraint(type, k, v, requests, limits));
    for (const [k, v] of Object.entries(l.max)) pushIf(errs, maxConstraint(type, k, v, requests, limits));
    for (const [k, v] of Object.entries(l.maxLimitRequestRatio)) pushIf(errs, ratioConstraint(type, k, v, requests, limits));
  };
  for (const l of limitItems(limitRange)) {
    if (l.type === 'Container') {
      for (const c of [...items(spec.containers), ...items(spec.initContainers)]) {
        const { requests, limits } = containerLists(c);
        check('Container', l, requests, limits);
      }
    } else if (l.type === 'Pod') {
      check('Pod', l, podTotals(spec, 'requests'), podTotals(spec, 'limits'));
    }
  }
  return errs;
}

function claimViolations(spec: Readonly<Obj>, limitRange: Readonly<ObjectMap>): string[] {
  const errs: string[] = [];
  const requests = rec(rec(spec.resources)?.requests) ?? {};
  for (const l of limitItems(limitRange)) {
    if (l.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(l.min)) pushIf(errs, minConstraint(l.type, k, v, requests, {}));
    for (const [k, v] of Object.entries(l.max)) pushIf(errs, maxRequestConstraint(l.type, k, v, requests));
  }
  return errs;
}

function pushIf(errs: string[], e: string | undefined): void {
  if (e !== undefined) errs.push(e);
}

/** Go's aggregate error text: one message alone, several in brackets. */
function aggregate(errs: readonly string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

export class LimitRanger implements AdmissionPlugin {
  readonly name = 'LimitRanger';

  /** `limitRanges(namespace)`: the LimitRanges of a namespace, in name order. */
  constructor(private readonly limitRanges: (namespace: string) => readonly Readonly<ObjectMap>[]) {}

  handles(r: ResourceInfo): boolean {
    return r.group === '' && (r.resource === 'pods' || r.resource === 'persistentvolumeclaims');
  }

  async create(_ctx: unknown, obj: ObjectMap, r: ResourceInfo): Promise<undefined> {
    this.admit(obj, r.resource === 'pods', true);
    return undefined;
  }

  async update(_ctx: unknown, obj: ObjectMap, _old: unknown, r: ResourceInfo): Promise<undefined> {
    // Pod containers cannot change after creation; only claims (a resize) are checked again.
    if (r.resource === 'persistentvolumeclaims') this.admit(obj, false, false);
    return undefined;
  }

  private admit(obj: ObjectMap, isPod: boolean, creating: boolean): void {
    const meta = rec(obj.metadata) ?? {};
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    const ranges = this.limitRanges(namespace);
    if (!ranges.length) return;
    const spec = rec(obj.spec);
    if (!spec) return;
    const name = typeof meta.name === 'string' ? meta.name : '';
    if (isPod && creating) {
      const notes = ranges.flatMap((lr) => applyContainerDefaults(spec, lr));
      if (notes.length) {
        const annotations = rec(meta.annotations) ?? {};
        annotations[annotation] = `LimitRanger plugin set: ${notes.join('; ')}`;
        meta.annotations = annotations;
        const status = rec(obj.status);
        if (status) status.qosClass = podQosClass(spec);
      }
    }
    for (const lr of ranges) {
      const errs = isPod ? podViolations(spec, lr) : claimViolations(spec, lr);
      if (errs.length) throw ApiError.forbidden({ group: '', resource: isPod ? 'pods' : 'persistentvolumeclaims', name }, aggregate(errs));
    }
  }
}
