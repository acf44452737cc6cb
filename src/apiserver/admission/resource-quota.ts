// ResourceQuota admission, as kube-apiserver enables by default: a write that would take a
// namespace past a quota's hard limits is refused with 403 Forbidden and kube's message; an
// admitted write is charged into the quota's status.used first, with optimistic concurrency on
// the quota, so two parallel creates can never both take the last unit. Undone if the write fails.
import {
  ApiError,
  type ResourceInfo,
  chargesUpdates,
  matchingResources,
  missingContainerResources,
  objectUsage,
  quotaMatches,
  type GroupResource,
  type ResourceUsage,
} from '../../api/index.js';
import {
  addQuantity,
  compareQuantity,
  formatResourceList,
  resourceListOf,
  resourceListToJson,
  subtractQuantity,
  zeroQuantity,
  type Quantity,
} from '../../api/index.js';
import type { AdmissionPlugin, Undo } from '../registry/admission.js';
import type { RequestContext } from '../registry/context.js';
import type { ObjectMap } from '../watch-cache.js';

type Obj = Record<string, unknown>;

function rec(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function nameOf(obj: Readonly<ObjectMap>): string {
  const n = rec(obj.metadata)?.name;
  return typeof n === 'string' ? n : '';
}

/** Where the plugin reads and writes quotas. */
export interface QuotaAccess {
  /** The namespace's quotas as the watch cache has them (possibly a moment old). */
  cached(namespace: string): readonly Readonly<ObjectMap>[];
  /** The quota as storage has it now. */
  get(namespace: string, name: string): Promise<ObjectMap | undefined>;
  /** Writes the quota's status; a quota changed since `quota` was read fails with 409 Conflict. */
  writeStatus(quota: ObjectMap): Promise<void>;
}

/** Kinds quota never charges (as kube's default ignored resources). */
const ignored = new Set(['events', 'tokenreviews', 'subjectaccessreviews', 'localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
const maxRetries = 16;

function hardOf(quota: Readonly<ObjectMap>): Map<string, Quantity> {
  return resourceListOf(rec(quota.status)?.hard);
}

function mask(list: ResourceUsage, names: Iterable<string>): ResourceUsage {
  const out: ResourceUsage = new Map();
  for (const n of names) {
    const v = list.get(n);
    if (v) out.set(n, v);
  }
  return out;
}

function removeZeros(list: ResourceUsage): ResourceUsage {
  return new Map([...list].filter(([, v]) => v.nanos !== 0n));
}

/** What an update adds: the increase of each resource, never a decrease. */
function growth(next: ResourceUsage, prev: ResourceUsage): ResourceUsage {
  const out: ResourceUsage = new Map();
  for (const [k, v] of next) {
    const d = subtractQuantity(v, prev.get(k) ?? zeroQuantity);
    out.set(k, d.nanos > 0n ? d : zeroQuantity);
  }
  return out;
}

export class ResourceQuotaAdmission implements AdmissionPlugin {
  readonly name = 'ResourceQuota';

  constructor(private readonly quotas: QuotaAccess) {}

  handles(r: ResourceInfo): boolean {
    return r.namespaced && !ignored.has(r.resource);
  }

  async create(ctx: RequestContext, obj: ObjectMap, r: ResourceInfo): Promise<Undo | undefined> {
    return this.admit(ctx, obj, undefined, r.storage);
  }

  async update(ctx: RequestContext, obj: ObjectMap, old: Readonly<ObjectMap>, r: ResourceInfo): Promise<Undo | undefined> {
    return this.admit(ctx, obj, old, r.storage);
  }

  private async admit(ctx: RequestContext, obj: ObjectMap, old: Readonly<ObjectMap> | undefined, gr: GroupResource): Promise<Undo | undefined> {
    if (old && !chargesUpdates(gr)) return undefined;
    const namespace = typeof rec(obj.metadata)?.namespace === 'string' ? (rec(obj.metadata)!.namespace as string) : '';
    const cached = this.quotas.cached(namespace);
    if (!cached.length) return undefined;
    const ref = { group: gr.group, resource: gr.resource, name: nameOf(obj) };
    const usage = objectUsage(gr, obj);
    const prevUsage = old ? objectUsage(gr, old) : undefined;
    // Checks that need no arithmetic come first, over every quota, as kube does before charging.
    const charges: Array<{ name: string; delta: ResourceUsage }> = [];
    for (const quota of [...cached].sort((a, b) => nameOf(a).localeCompare(nameOf(b)))) {
      const hard = [...hardOf(quota).keys()];
      if (!quotaMatches(gr, quota, obj, hard)) continue;
      const restricted = matchingResources(gr, hard);
      if (gr.group === '' && gr.resource === 'pods') {
        const missing = missingContainerResources(obj, restricted);
        if (missing) throw ApiError.forbidden(ref, `failed quota: ${nameOf(quota)}: must specify ${missing}`);
      }
      const used = resourceListOf(rec(quota.status)?.used);
      const unknown = restricted.filter((r) => !used.has(r));
      if (unknown.length) throw ApiError.forbidden(ref, `status unknown for quota: ${nameOf(quota)}, resources: ${unknown.sort().join(',')}`);
      const delta = removeZeros(mask(prevUsage && quotaMatches(gr, quota, old!, hard) ? growth(usage, prevUsage) : usage, restricted));
      if (delta.size) charges.push({ name: nameOf(quota), delta });
    }
    const charged: Array<{ name: string; delta: ResourceUsage }> = [];
    const undo: Undo = async () => {
      for (const c of charged.reverse()) await this.charge(namespace, c.name, c.delta, -1, ref);
    };
    try {
      for (const c of charges) {
        if (await this.charge(namespace, c.name, c.delta, ctx.dryRun ? 0 : 1, ref)) charged.push(c);
      }
    } catch (err) {
      await undo().catch(() => undefined);
      throw err;
    }
    return charged.length ? undo : undefined;
  }

  /**
   * Adds (sign 1) or returns (sign -1) a charge on the quota as storage has it, retrying on
   * conflicts; sign 0 checks without writing (dry run). Answers whether anything was written.
   */
  private async charge(
    namespace: string,
    name: string,
    delta: ResourceUsage,
    sign: 1 | 0 | -1,
    ref: { group: string; resource: string; name: string },
  ): Promise<boolean> {
    for (let attempt = 0; attempt < maxRetries; attempt++) {
      const quota = await this.quotas.get(namespace, name);
      if (!quota) return false; // Deleted meanwhile: nothing to charge.
      const status = rec(quota.status) ?? {};
      const hard = resourceListOf(status.hard);
      const used = resourceListOf(status.used);
      const requested = mask(delta, hard.keys());
      if (!requested.size) return false;
      const next = new Map(used);
      for (const [k, v] of requested) {
        const current = used.get(k) ?? zeroQuantity;
        const sum = sign < 0 ? subtractQuantity(current, v) : addQuantity(current, v);
        next.set(k, sum.nanos < 0n ? { nanos: 0n, format: current.format } : sum);
      }
      if (sign >= 0) {
        const exceeded = [...requested.keys()].filter((k) => compareQuantity(next.get(k)!, hard.get(k)!) > 0);
        if (exceeded.length) {
          throw ApiError.forbidden(
            ref,
            `exceeded quota: ${name}, requested: ${formatResourceList(mask(requested, exceeded))}, used: ${formatResourceList(mask(used, exceeded))}, limited: ${formatResourceList(mask(hard, exceeded))}`,
          );
        }
        if (sign === 0) return false;
      }
      quota.status = { ...status, used: { ...rec(status.used), ...resourceListToJson(mask(next, requested.keys())) } };
      try {
        await this.quotas.writeStatus(quota);
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.code === 409) continue;
        throw err;
      }
    }
    throw ApiError.internal(`resource quota evaluation failed: quota ${name} kept changing`);
  }
}
