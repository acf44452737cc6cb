// Subresources other than status: scale, pods/binding, pods/eviction, namespaces/finalize,
// certificatesigningrequests/approval, and the node-agent streams (log, exec, attach,
// portforward, proxy), which answer clearly until a node agent serves them.
import { customScale, writePath, ApiError, apiVersionOf, type ResourceInfo, typeFacts, typeNameForKind, kubeTime } from '../../api/index.js';
import type { ServerResponse } from 'node:http';
import { applyPatch } from '../patch/index.js';
import { decodeBody, negotiate, parseMediaType } from '../media-types.js';
import { metaOf, readMeta } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ObjectMap } from '../watch-cache.js';
import { readBody, sendObject, type ApiRequest } from './http-io.js';
import { requestContext, type ResourceEnv } from './request-context.js';
import { sendOne } from './views.js';
import { serveEviction } from './eviction.js';
import { decodeTypedBody } from './typed-body.js';

export async function serveSubresource(
  env: ResourceEnv,
  req: ApiRequest,
  res: ServerResponse,
  r: ResourceInfo,
  store: ResourceStore,
  info: ResourceRequest,
): Promise<void> {
  const sub = r.subresources.find((s) => s.name === info.subresource);
  if (!sub || !info.name) throw ApiError.pathNotFound();
  const verb = info.verb === 'list' ? 'get' : info.verb;
  if (!sub.verbs.includes(verb)) throw ApiError.methodNotAllowed();
  switch (info.subresource) {
    case 'scale':
      return serveScale(req, res, r, store, info);
    case 'binding':
      return serveBinding(req, res, r, store, info);
    case 'eviction':
      return serveEviction(env, req, res, r, store, info);
    case 'finalize':
      return serveFinalize(req, res, r, store, info);
    case 'approval':
      return serveApproval(req, res, r, store, info);
    case 'log':
    case 'exec':
    case 'attach':
    case 'portforward':
    case 'proxy':
      return serveNodeStream(res, r, store, info);
    default:
      throw ApiError.methodNotAllowed(`the server does not serve ${info.subresource} for ${r.resource} yet`);
  }
}

function success(res: ServerResponse, code: number): void {
  sendObject(
    res,
    code,
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code },
    { encoding: 'json', view: 'object', contentType: 'application/json' },
  );
}

function rec(v: unknown): ObjectMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as ObjectMap) : {};
}

/** The label selector of a scalable object as the Scale subresource shows it (a selector string). */
function selectorString(r: ResourceInfo, obj: ObjectMap): string {
  const spec = rec(obj.spec);
  if (r.resource === 'replicationcontrollers') {
    return Object.entries(rec(spec.selector))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
  }
  const sel = rec(spec.selector);
  const parts = Object.entries(rec(sel.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as ObjectMap[]) : []) {
    const values = Array.isArray(e.values) ? (e.values as string[]) : [];
    switch (e.operator) {
      case 'In':
        parts.push(`${String(e.key)} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${String(e.key)} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(String(e.key));
        break;
      case 'DoesNotExist':
        parts.push(`!${String(e.key)}`);
        break;
    }
  }
  return parts.sort().join(',');
}

function toScale(r: ResourceInfo, obj: ObjectMap): ObjectMap {
  const meta = readMeta(obj);
  if (r.custom?.scale) {
    const c = customScale(obj, r.custom.scale);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
      spec: { replicas: c.specReplicas },
      status: { replicas: c.statusReplicas, ...(c.selector ? { selector: c.selector } : {}) },
    };
  }
  const status = rec(obj.status);
  const scaleStatus: ObjectMap = { replicas: typeof status.replicas === 'number' ? status.replicas : 0 };
  const selector = selectorString(r, obj);
  const kind = r.subresources.find((s) => s.name === 'scale')?.kind ?? { group: 'autoscaling', version: 'v1' };
  if (kind.group === 'autoscaling') {
    if (selector) scaleStatus.selector = selector;
  } else {
    // The removed versions' Scale carries the selector twice: as a label map when it is only
    // matchLabels, and always as the selector string (targetSelector).
    const sel = rec(rec(obj.spec).selector);
    const expressions = Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0;
    if (!expressions && Object.keys(rec(sel.matchLabels)).length) scaleStatus.selector = { ...rec(sel.matchLabels) };
    if (selector) scaleStatus.targetSelector = selector;
  }
  return {
    kind: 'Scale',
    apiVersion: apiVersionOf(kind),
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: typeof rec(obj.spec).replicas === 'number' ? rec(obj.spec).replicas : 0 },
    status: scaleStatus,
  };
}

/** The Go type of the Scale a resource's scale subresource speaks, for patches. */
function scaleTypeName(r: ResourceInfo): string {
  const kind = r.subresources.find((s) => s.name === 'scale')?.kind;
  return (kind && typeNameForKind(kind.group, kind.version, 'Scale')) ?? 'io.k8s.api.autoscaling.v1.Scale';
}

async function serveScale(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: false, allowProtobuf: true });
  if (info.verb === 'get') {
    sendObject(res, 200, toScale(r, await store.get(info.namespace, info.name)), format);
    return;
  }
  const ctx = requestContext(req, r);
  const raw = await readBody(req.raw);
  const contentType = parseMediaType(req.raw.headers['content-type'] ?? '').type;
  const result = await store.update(ctx, info.namespace, info.name, (current) => {
    if (!current) throw ApiError.notFound(store.ref(info.name));
    const scale = toScale(r, current);
    const desiredScale = decodeTypedBody(
      req,
      info.verb === 'patch'
        ? (applyPatch(contentType, scale, raw, scaleTypeName(r), typeFacts) as ObjectMap)
        : decodeBody(req.raw.headers['content-type'], raw),
      scaleTypeName(r),
    );
    const scaleMeta = readMeta(desiredScale);
    if (scaleMeta.name !== undefined && scaleMeta.name !== info.name) {
      throw ApiError.nameMismatch(scaleMeta.name, info.name);
    }
    const replicas = rec(desiredScale.spec).replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw ApiError.invalid({ group: r.subresources.find((s) => s.name === 'scale')?.kind?.group ?? 'autoscaling', kind: 'Scale' }, info.name, [
        { type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' },
      ]);
    }
    const desired = structuredClone(current);
    if (r.custom?.scale) writePath(desired, r.custom.scale.specReplicasPath, replicas);
    else (desired.spec as ObjectMap).replicas = replicas;
    const meta = metaOf(desired);
    if (info.verb === 'update' && scaleMeta.resourceVersion) meta.resourceVersion = scaleMeta.resourceVersion;
    else delete meta.resourceVersion;
    return desired;
  });
  sendObject(res, 200, toScale(r, result.object), format);
}

async function serveBinding(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const ctx = requestContext(req, r);
  const binding = decodeTypedBody(req, decodeBody(req.raw.headers['content-type'], await readBody(req.raw)), 'io.k8s.api.core.v1.Binding');
  const target = rec(binding.target);
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) throw ApiError.invalid({ group: '', kind: 'Binding' }, info.name, [{ type: 'FieldValueRequired', field: 'target.name' }]);
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw ApiError.invalid({ group: '', kind: 'Binding' }, info.name, [
      { type: 'FieldValueNotSupported', field: 'target.kind', badValue: target.kind, detail: 'supported values: "Node"' },
    ]);
  }
  await store.update(
    ctx,
    info.namespace,
    info.name,
    (current) => {
      if (!current) throw ApiError.notFound(store.ref(info.name));
      const meta = readMeta(current);
      if (meta.deletionTimestamp) throw ApiError.conflict(store.ref(info.name), `pod ${info.name} is being deleted, cannot be assigned to a host`);
      const spec = rec(current.spec);
      if (spec.nodeName)
        throw ApiError.conflict(
          store.ref(info.name),
          `pod ${info.name} is already assigned to node "${typeof spec.nodeName === 'string' ? spec.nodeName : ''}"`,
        );
      spec.nodeName = node;
      const status = rec(current.status);
      const conditions = Array.isArray(status.conditions) ? (status.conditions as ObjectMap[]).filter((c) => c.type !== 'PodScheduled') : [];
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: kubeTime() });
      status.conditions = conditions;
      current.status = status;
      delete metaOf(current).resourceVersion;
      return current;
    },
    { subresource: 'binding' },
  );
  success(res, 201);
}

async function serveFinalize(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: false, allowProtobuf: true });
  const ctx = requestContext(req, r);
  const body = decodeTypedBody(req, decodeBody(req.raw.headers['content-type'], await readBody(req.raw)), 'io.k8s.api.core.v1.Namespace');
  const finalizers = rec(body.spec).finalizers;
  const result = await store.update(
    ctx,
    '',
    info.name,
    (current) => {
      if (!current) throw ApiError.notFound(store.ref(info.name));
      const spec = rec(current.spec);
      if (Array.isArray(finalizers) && finalizers.length) spec.finalizers = finalizers;
      else delete spec.finalizers;
      current.spec = spec;
      const rv = readMeta(body).resourceVersion;
      if (rv) metaOf(current).resourceVersion = rv;
      else delete metaOf(current).resourceVersion;
      return current;
    },
    { subresource: 'finalize' },
  );
  sendOne(res, 200, r, result.object, format, req.query);
}

async function serveApproval(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: false, allowProtobuf: true });
  if (info.verb === 'get') {
    sendOne(res, 200, r, await store.get('', info.name), format, req.query);
    return;
  }
  const ctx = requestContext(req, r);
  const raw = await readBody(req.raw);
  const contentType = parseMediaType(req.raw.headers['content-type'] ?? '').type;
  const result = await store.update(
    ctx,
    '',
    info.name,
    (current) => {
      if (!current) throw ApiError.notFound(store.ref(info.name));
      const csr = 'io.k8s.api.certificates.v1.CertificateSigningRequest';
      const desired = decodeTypedBody(
        req,
        info.verb === 'patch' ? (applyPatch(contentType, current, raw, csr, typeFacts) as ObjectMap) : decodeBody(req.raw.headers['content-type'], raw),
        csr,
      );
      const conditions = rec(desired.status).conditions;
      const next = structuredClone(current);
      const status = rec(next.status);
      if (Array.isArray(conditions)) status.conditions = conditions;
      next.status = status;
      const rv = readMeta(desired).resourceVersion;
      if (info.verb === 'update' && rv) metaOf(next).resourceVersion = rv;
      else delete metaOf(next).resourceVersion;
      return next;
    },
    { subresource: 'status' },
  );
  sendOne(res, 200, r, result.object, format, req.query);
}

async function serveNodeStream(res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  void res;
  if (r.resource === 'pods') {
    const pod = await store.get(info.namespace, info.name);
    const nodeName = rec(pod.spec).nodeName;
    if (!nodeName) throw ApiError.badRequest(`pod ${info.name} does not have a host assigned`);
    throw ApiError.serviceUnavailable(
      `no node agent serves ${info.subresource} for pod ${info.name} on node ${typeof nodeName === 'string' ? nodeName : ''}: this server runs without a node agent`,
    );
  }
  throw ApiError.serviceUnavailable(`no node agent serves ${info.subresource} for ${r.resource} ${info.name}: this server runs without a node agent`);
}
