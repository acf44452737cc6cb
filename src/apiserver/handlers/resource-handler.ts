// Dispatches a resource request to its verb: get, list, watch, create, update, patch, delete,
// deletecollection, and the status subresource. Other subresources live in subresources.ts.
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { fromStorageVersion, toStorageVersion } from '../../api/conversion/index.js';
import { typeFacts, typeNameForKind } from '../../api/facts/index.js';
import { removedApiWarning } from '../../api/removed-apis.js';
import { apiVersionOf, findResource, parseApiVersion, type ResourceInfo } from '../../api/resources.js';
import { typedDecode } from '../../api/typed-decode.js';
import { decodeTypedBody } from './typed-body.js';
import { applyPatch } from '../patch/index.js';
import { decodeBody, negotiate, parseMediaType, type ResponseFormat } from '../media-types.js';
import { defaultFieldManager, type RequestContext } from '../registry/context.js';
import { metaOf, readMeta } from '../registry/object-meta.js';
import type { DeleteOptions, ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ObjectMap } from '../watch-cache.js';
import { readBody, sendObject, type ApiRequest } from './http-io.js';
import {
  boolParam,
  dryRunParam,
  fieldManagerParam,
  fieldValidationParam,
  intParam,
  customFieldOptions,
  reportUnknownFields,
  selectorParams,
  type FieldValidation,
} from './request-options.js';
import { patchOptionsInvalid, serveApply } from './apply-handler.js';
import { serveSubresource } from './subresources.js';
import { admitCustomResource } from './custom-resource-body.js';
import { sendList, sendOne } from './views.js';
import { serveWatch } from './watch.js';

export interface ResourceEnv {
  store(r: ResourceInfo): ResourceStore;
}

export async function serveResource(env: ResourceEnv, req: ApiRequest, res: ServerResponse, requested: ResourceRequest): Promise<void> {
  const r = findResource(requested.group, requested.version, requested.resource);
  if (!r) throw ApiError.pathNotFound();
  if (r.namespaced && requested.name && !requested.inNamespace && requested.verb !== 'list' && requested.verb !== 'watch') throw ApiError.pathNotFound();
  if (!r.namespaced && requested.inNamespace) throw ApiError.pathNotFound();
  // From here on `namespace` is the scope objects are stored under: none for cluster-scoped ones.
  const info: ResourceRequest = r.namespaced ? requested : { ...requested, namespace: '' };
  const store = env.store(r);
  const removedWarning = removedApiWarning(r, r.subresources.find((s) => s.name === info.subresource)?.kind?.kind ?? r.kind);
  if (removedWarning) req.warnings.push(removedWarning);
  if (r.custom?.deprecationWarning && !req.warnings.includes(r.custom.deprecationWarning)) req.warnings.push(r.custom.deprecationWarning);
  if (info.subresource && info.subresource !== 'status') return serveSubresource(env, req, res, r, store, info);
  if (info.subresource === 'status' && !r.subresources.some((s) => s.name === 'status')) throw ApiError.pathNotFound();
  const verbAllowed = info.subresource ? ['get', 'update', 'patch'].includes(info.verb) : r.verbs.includes(info.verb);
  if (!verbAllowed) throw ApiError.methodNotAllowed();

  switch (info.verb) {
    case 'get': {
      const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
      const obj = await store.get(info.namespace, info.name, req.query.get('resourceVersion') ?? undefined);
      sendOne(res, 200, r, obj, format, req.query);
      return;
    }
    case 'list':
      return serveList(req, res, r, store, info.namespace);
    case 'watch':
      return serveWatchRequest(req, res, r, store, info);
    case 'create':
      return serveCreate(req, res, r, store, info);
    case 'update':
      return serveUpdate(req, res, r, store, info);
    case 'patch':
      return servePatch(req, res, r, store, info);
    case 'delete':
      return serveDelete(req, res, r, store, info);
    case 'deletecollection':
      return serveDeleteCollection(req, res, r, store, info);
  }
}

export function requestContext(req: ApiRequest, r: ResourceInfo): RequestContext {
  return {
    user: req.user,
    dryRun: dryRunParam(req.query),
    fieldManager: fieldManagerParam(req.query) ?? defaultFieldManager(req.raw.headers['user-agent']),
    apiVersion: apiVersionOf(r),
    warnings: req.warnings,
  };
}

async function serveList(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, namespace: string): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
  const sel = selectorParams(req.query, r);
  const limit = intParam(req.query, 'limit');
  // A list answers long before any timeout; the parameter is still checked as kube decodes ListOptions.
  intParam(req.query, 'timeoutSeconds');
  const result = await store.list(namespace, {
    labelSelector: sel.labelSelector,
    fieldSelector: sel.fieldSelector,
    limit,
    continueToken: req.query.get('continue') || undefined,
    resourceVersion: req.query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: req.query.get('resourceVersionMatch') || undefined,
  });
  const listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: result.resourceVersion };
  if (result.continueToken) listMeta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined && !sel.labelSelector && !sel.fieldSelector) listMeta.remainingItemCount = result.remainingItemCount;
  await sendList(res, r, result.items, listMeta, format, req.query);
}

async function serveWatchRequest(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: false });
  const sel = selectorParams(req.query, r);
  let fieldSelector = sel.fieldSelector;
  if (info.name) {
    // A legacy /watch/.../<name> path watches one object: the same as metadata.name=<name>.
    const { parseFieldSelector } = await import('../../api/selectors/index.js');
    fieldSelector = parseFieldSelector(`metadata.name=${info.name}`, r.storage.group, r.storage.resource, customFieldOptions(r));
  }
  const timeout = intParam(req.query, 'timeoutSeconds');
  // kube decodes every ListOptions integer of a watch, though a watch does not page: a bad limit is its 400 too.
  intParam(req.query, 'limit');
  let closed = false;
  req.raw.on('close', () => (closed = true));
  await serveWatch(
    res,
    store,
    r,
    {
      namespace: info.namespace,
      labelSelector: sel.labelSelector,
      fieldSelector,
      resourceVersion: req.query.get('resourceVersion') ?? undefined,
      resourceVersionMatch: req.query.get('resourceVersionMatch') || undefined,
      sendInitialEvents: boolParam(req.query, 'sendInitialEvents'),
      allowWatchBookmarks: boolParam(req.query, 'allowWatchBookmarks') ?? false,
      // As kube: none (or 0) is the default of 30-60 min; a negative timeout has passed already.
      timeoutSeconds: timeout === undefined || timeout === 0 ? 1800 + Math.floor(Math.random() * 1800) : Math.max(0, timeout),
    },
    format,
    req.query,
    () => closed,
    req.metrics?.watchEventCounter(r.group, r.version, r.kind),
  );
}

/** The Go type name behind a resource's kind, for typed decoding and patches. */
export function typeNameOf(r: ResourceInfo): string | undefined {
  return typeNameForKind(r.group, r.version, r.kind);
}

/**
 * Turns a decoded body into the object to store: checks apiVersion/kind, drops unknown fields per
 * fieldValidation, applies defaults, converts to the storage version.
 */
export function admitBody(r: ResourceInfo, store: ResourceStore, body: ObjectMap, validation: FieldValidation, warnings: string[]): ObjectMap {
  const expected = apiVersionOf(r);
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  const kind = typeof body.kind === 'string' ? body.kind : '';
  if (kind && kind !== r.kind) {
    throw ApiError.badRequest(
      `${kind} in version "${parseApiVersion(apiVersion || expected).version}" cannot be handled as a ${r.kind}: the object provided is unrecognized (must be of type ${r.kind})`,
    );
  }
  if (apiVersion && apiVersion !== expected) {
    const gv = parseApiVersion(apiVersion);
    if (gv.group !== r.group) {
      throw ApiError.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expected})`);
    }
    throw ApiError.badRequest(
      `${kind || r.kind} in version "${gv.version}" cannot be handled as a ${r.kind}: no kind "${kind || r.kind}" is registered for version "${apiVersion}"`,
    );
  }
  body.apiVersion = expected;
  body.kind = r.kind;
  const typeName = typeNameOf(r);
  if (r.custom) admitCustomResource(r.custom, body, validation, warnings);
  else if (typeName) {
    const { unknownFields } = typedDecode(body, typeName);
    reportUnknownFields(unknownFields, validation, warnings);
  }
  // As kube decodes: the client version's own defaults and conversion first, then the storage defaults.
  const stored = toStorageVersion(r, body);
  store.strategy.default(stored);
  return stored;
}

function checkNamespace(r: ResourceInfo, obj: ObjectMap, namespace: string): void {
  if (!r.namespaced) return;
  const meta = metaOf(obj);
  if (meta.namespace && meta.namespace !== namespace) {
    throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

async function serveCreate(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  if (info.name) throw ApiError.methodNotAllowed();
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
  const ctx = requestContext(req, r);
  const validation = fieldValidationParam(req.query);
  const body = decodeBody(req.raw.headers['content-type'], await readBody(req.raw));
  checkNamespace(r, body, info.namespace);
  const obj = admitBody(r, store, body, validation, req.warnings);
  const created = await store.create(ctx, info.namespace, obj);
  sendOne(res, 201, r, created, format, req.query);
}

async function serveUpdate(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
  const ctx = requestContext(req, r);
  const validation = fieldValidationParam(req.query);
  const body = decodeBody(req.raw.headers['content-type'], await readBody(req.raw));
  const meta = metaOf(body);
  if (meta.name !== undefined && meta.name !== info.name) {
    throw ApiError.nameMismatch(meta.name, info.name);
  }
  meta.name = info.name;
  checkNamespace(r, body, info.namespace);
  const desired = admitBody(r, store, body, validation, req.warnings);
  const subresource = info.subresource === 'status' ? 'status' : undefined;
  const result = await store.update(ctx, info.namespace, info.name, () => structuredClone(desired), {
    subresource,
    allowCreate: !subresource && allowsCreateOnUpdate(r),
  });
  sendOne(res, result.created ? 201 : 200, r, result.object, format, req.query);
}

/** Resources kube-apiserver lets a PUT create. */
function allowsCreateOnUpdate(r: ResourceInfo): boolean {
  return [
    'endpoints',
    'leases',
    'events',
    'limitranges',
    'endpointslices',
    'clusterroles',
    'clusterrolebindings',
    'roles',
    'rolebindings',
    'priorityclasses',
    'storageclasses',
    'ingressclasses',
    'controllerrevisions',
    'nodes',
    'podtemplates',
    'resourcequotas',
  ].includes(r.resource);
}

async function servePatch(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
  const contentType = parseMediaType(req.raw.headers['content-type'] ?? '').type;
  if (contentType === 'application/apply-patch+yaml') return serveApply(req, res, r, store, info);
  if (req.query.has('force')) throw patchOptionsInvalid('force', 'FieldValueForbidden', 'may not be specified for non-apply patch');
  const ctx = requestContext(req, r);
  const validation = fieldValidationParam(req.query);
  const body = await readBody(req.raw);
  const typeName = typeNameOf(r);
  const subresource = info.subresource === 'status' ? 'status' : undefined;
  const result = await store.update(
    ctx,
    info.namespace,
    info.name,
    (current) => {
      if (!current) throw ApiError.notFound(store.ref(info.name));
      const original = fromStorageVersion(r, current);
      const originalRv = readMeta(original).resourceVersion;
      const patched = applyPatch(contentType, original, body, typeName, typeFacts) as ObjectMap;
      if (patched === null || typeof patched !== 'object' || Array.isArray(patched))
        throw ApiError.badRequest('the patch produced a value that is not an object');
      const meta = metaOf(patched);
      // A patch that leaves resourceVersion alone is unconditional and may be retried on conflicts.
      if (meta.resourceVersion === originalRv) delete meta.resourceVersion;
      if (meta.name !== info.name) {
        throw ApiError.nameMismatch(meta.name, info.name);
      }
      const warnings: string[] = [];
      const desired = admitBody(r, store, patched, validation, warnings);
      for (const w of warnings) if (!req.warnings.includes(w)) req.warnings.push(w);
      return desired;
    },
    { subresource },
  );
  sendOne(res, 200, r, result.object, format, req.query);
}

const deleteOptionsType = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

export async function deleteOptions(req: ApiRequest): Promise<DeleteOptions> {
  const opts: DeleteOptions = {};
  const raw = await readBody(req.raw);
  if (raw.length) {
    // kube-apiserver decodes DeleteOptions without strict field validation.
    const body = decodeTypedBody(req, decodeBody(req.raw.headers['content-type'], raw), deleteOptionsType, {
      errorPrefix: '',
      fieldValidation: 'Ignore',
    });
    if (typeof body.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = body.gracePeriodSeconds;
    if (body.preconditions && typeof body.preconditions === 'object') opts.preconditions = body.preconditions;
    if (typeof body.propagationPolicy === 'string') opts.propagationPolicy = checkPolicy(body.propagationPolicy);
    if (typeof body.orphanDependents === 'boolean') opts.orphanDependents = body.orphanDependents;
    if (Array.isArray(body.dryRun))
      for (const d of body.dryRun)
        if (d !== 'All') throw ApiError.badRequest(`Invalid dry run value: dryRun: Unsupported value: "${String(d)}": supported values: "All"`);
  }
  const grace = intParam(req.query, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = req.query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = checkPolicy(policy);
  const orphan = boolParam(req.query, 'orphanDependents');
  if (orphan !== undefined) opts.orphanDependents = orphan;
  if (opts.propagationPolicy && opts.orphanDependents !== undefined) {
    throw new ApiError(
      422,
      'Invalid',
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' +
        opts.propagationPolicy +
        '": orphanDependents and deletionPropagation cannot be both set',
      {
        group: 'meta.k8s.io',
        kind: 'DeleteOptions',
        causes: [{ reason: 'FieldValueInvalid', message: 'orphanDependents and deletionPropagation cannot be both set', field: 'propagationPolicy' }],
      },
    );
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  return opts;
}

function checkPolicy(p: string): 'Orphan' | 'Background' | 'Foreground' {
  if (p === 'Orphan' || p === 'Background' || p === 'Foreground') return p;
  throw new ApiError(
    422,
    'Invalid',
    `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    {
      group: 'meta.k8s.io',
      kind: 'DeleteOptions',
      causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${p}"`, field: 'propagationPolicy' }],
    },
  );
}

async function serveDelete(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: false, allowProtobuf: true });
  const ctx = requestContext(req, r);
  const opts = await deleteOptions(req);
  const result = await store.delete(ctx, info.namespace, info.name, opts);
  if (!result.deleted || store.returnsDeletedObject) {
    sendOne(res, 200, r, result.object, format, req.query);
    return;
  }
  const meta = readMeta(result.object);
  sendObject(
    res,
    200,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: info.name, ...(r.group ? { group: r.group } : {}), kind: r.resource, uid: meta.uid },
    },
    format,
  );
}

async function serveDeleteCollection(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: false, allowProtobuf: true });
  const ctx = requestContext(req, r);
  const opts = await deleteOptions(req);
  const sel = selectorParams(req.query, r);
  const listed = await store.list(info.namespace, { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector });
  const items: ObjectMap[] = [];
  for (const item of listed.items) {
    try {
      const result = await store.delete(ctx, item.namespace, item.name, opts);
      items.push(fromStorageVersion(r, result.object));
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) continue;
      throw err;
    }
  }
  sendObject(res, 200, { kind: r.listKind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: listed.resourceVersion }, items }, format);
}

export type { ResponseFormat };
