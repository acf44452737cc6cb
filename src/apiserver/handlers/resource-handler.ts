// Dispatches a resource request to its verb: get, list, watch, create, update, patch, delete,
// deletecollection, and the status subresource, one module each. Other subresources live in
// subresources.ts.
import type { ServerResponse } from 'node:http';
import { ApiError, findResource, removedApiWarning } from '../../api/index.js';
import type { ResourceRequest } from '../request-info.js';
import type { ApiRequest } from './http-io.js';
import type { ResourceEnv } from './request-context.js';
import { serveSubresource } from './subresources.js';
import { serveGet } from './get.js';
import { serveList } from './list.js';
import { serveWatchRequest } from './watch.js';
import { serveCreate } from './create.js';
import { serveUpdate } from './update.js';
import { servePatch } from './patch.js';
import { serveDelete } from './delete.js';
import { serveDeleteCollection } from './delete-collection.js';

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
    case 'get':
      return serveGet(req, res, r, store, info);
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
