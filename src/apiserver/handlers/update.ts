// UPDATE (PUT): replace an object or its status; a few resources may be created this way, as in kube.
import type { ServerResponse } from 'node:http';
import { ApiError, type ResourceInfo } from '../../api/index.js';
import { decodeBody, negotiate } from '../media-types.js';
import { metaOf } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import { readBody, type ApiRequest } from './http-io.js';
import { fieldValidationParam } from './request-options.js';
import { admitBody, checkNamespace } from './admit-body.js';
import { requestContext } from './request-context.js';
import { sendOne } from './views.js';

export async function serveUpdate(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
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
