// The pods/eviction subresource, as kube-apiserver's EvictionREST: a pod covered by a
// PodDisruptionBudget is deleted only if the budget allows a disruption, which is taken from
// status.disruptionsAllowed (and the pod noted in status.disruptedPods) in the same optimistic
// write; otherwise 429 TooManyRequests. Pods that are pending, finished or going are let go.
import type { ServerResponse } from 'node:http';
import { ApiError, FieldPath, findResource, type ResourceInfo, labelSelectorFromObject, kubeTime } from '../../api/index.js';
import { decodeBody } from '../media-types.js';
import { metaOf, readMeta } from '../registry/object-meta.js';
import type { RequestContext } from '../registry/context.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ObjectMap } from '../watch-cache.js';
import { readBody, sendObject, type ApiRequest } from './http-io.js';
import { requestContext, type ResourceEnv } from './request-context.js';
import { decodeTypedBody } from './typed-body.js';

/** Evictions the disruption controller has not yet confirmed; past this the budget refuses more. */
const maxDisruptedPods = 2000;

function rec(v: unknown): ObjectMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as ObjectMap) : {};
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function tooManyRequests(cause: string): ApiError {
  return new ApiError(429, 'TooManyRequests', `Cannot evict pod as it would violate the pod's disruption budget.`, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

function isReady(pod: ObjectMap): boolean {
  const conditions = rec(pod.status).conditions;
  return Array.isArray(conditions) && conditions.some((c) => rec(c).type === 'Ready' && rec(c).status === 'True');
}

export async function serveEviction(
  env: ResourceEnv,
  req: ApiRequest,
  res: ServerResponse,
  r: ResourceInfo,
  store: ResourceStore,
  info: ResourceRequest,
): Promise<void> {
  const eviction = decodeTypedBody(req, decodeBody(req.raw.headers['content-type'], await readBody(req.raw)), 'io.k8s.api.policy.v1.Eviction');
  const opts = rec(eviction.deleteOptions);
  const base = requestContext(req, r);
  const ctx: RequestContext = { ...base, dryRun: base.dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes('All')) };
  const pod = await store.get(info.namespace, info.name);
  const phase = rec(pod.status).phase;
  // Nothing a budget protects: the pod is not running yet, has finished, or is already going.
  const unprotected = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(readMeta(pod).deletionTimestamp);
  if (!unprotected) await takeDisruption(env, ctx, pod);
  // The condition's write would change the resourceVersion a precondition names, so such evictions go without it.
  const pinned = typeof rec(opts.preconditions).resourceVersion === 'string';
  if (!ctx.dryRun && !pinned && phase !== 'Succeeded' && phase !== 'Failed') await markDisruptionTarget(store, ctx, info).catch(() => undefined);
  await store.delete(ctx, info.namespace, info.name, {
    // As rest.BeforeDelete: a negative grace period means one second.
    ...(typeof opts.gracePeriodSeconds === 'number' ? { gracePeriodSeconds: opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds } : {}),
    ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
  });
  sendObject(
    res,
    201,
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
    { encoding: 'json', view: 'object', contentType: 'application/json' },
  );
}

/** Checks the pod's budget and takes one disruption from it; throws 429 when none is left. */
async function takeDisruption(env: ResourceEnv, ctx: RequestContext, pod: ObjectMap): Promise<void> {
  const pdbInfo = findResource('policy', 'v1', 'poddisruptionbudgets');
  if (!pdbInfo) return;
  const meta = readMeta(pod);
  const namespace = meta.namespace ?? '';
  const podName = meta.name ?? '';
  const labels = meta.labels ?? {};
  const budgets = env.store(pdbInfo);
  const matching = (await budgets.list(namespace, {})).items
    .map((p) => p.toObject())
    .filter((p) => labelSelectorFromObject(rec(p.spec).selector, FieldPath.root('spec').child('selector')).selector.matches(labels));
  if (matching.length > 1) throw ApiError.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const found = matching[0];
  if (!found) return;
  const name = readMeta(found).name ?? '';
  // An unready pod may go without spending the budget while the budget is met anyway.
  if (!isReady(pod)) {
    const status = rec(found.status);
    const policy = rec(found.spec).unhealthyPodEvictionPolicy;
    if (policy === 'AlwaysAllow' || (num(status.currentHealthy) >= num(status.desiredHealthy) && num(status.desiredHealthy) > 0)) return;
  }
  await budgets.update(
    ctx,
    namespace,
    name,
    (current) => {
      if (!current) throw ApiError.notFound({ group: 'policy', resource: 'poddisruptionbudgets', name });
      const status = rec(current.status);
      if (num(status.observedGeneration) < num(readMeta(current).generation))
        throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
      const allowed = num(status.disruptionsAllowed);
      if (allowed < 0) throw ApiError.forbidden({ group: 'policy', resource: 'poddisruptionbudget', name }, 'pdb disruptions allowed is negative');
      const disrupted = rec(status.disruptedPods);
      if (Object.keys(disrupted).length > maxDisruptedPods) {
        throw ApiError.forbidden(
          { group: 'policy', resource: 'poddisruptionbudget', name },
          'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
        );
      }
      if (allowed === 0) {
        const condition = (Array.isArray(status.conditions) ? status.conditions.map(rec) : []).find((c) => c.type === 'DisruptionAllowed');
        const syncFailed = condition?.status === 'False' && condition.reason === 'SyncFailed' && typeof condition.message === 'string' && condition.message;
        throw tooManyRequests(
          syncFailed
            ? `The disruption budget ${name} does not allow evicting pods currently because it failed sync: ${String(condition.message)}`
            : `The disruption budget ${name} needs ${num(status.desiredHealthy)} healthy pods and has ${num(status.currentHealthy)} currently`,
        );
      }
      status.disruptionsAllowed = allowed - 1;
      status.disruptedPods = { ...disrupted, [podName]: kubeTime() };
      current.status = status;
      // No resourceVersion: the store retries against the fresh budget on conflicts.
      delete metaOf(current).resourceVersion;
      return current;
    },
    { subresource: 'status' },
  );
}

/** Tells the pod's owners why it goes, as kube adds the DisruptionTarget condition before deleting. */
async function markDisruptionTarget(store: ResourceStore, ctx: RequestContext, info: ResourceRequest): Promise<void> {
  await store.update(
    ctx,
    info.namespace,
    info.name,
    (current) => {
      if (!current) throw ApiError.notFound(store.ref(info.name));
      const status = rec(current.status);
      const conditions = (Array.isArray(status.conditions) ? status.conditions.map(rec) : []).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: kubeTime(),
        reason: 'EvictionByEvictionAPI',
        message: 'Eviction API: evicting',
      });
      status.conditions = conditions;
      current.status = status;
      delete metaOf(current).resourceVersion;
      return current;
    },
    { subresource: 'status' },
  );
}
