// PATCH: JSON, merge and strategic merge patches applied to the object in the client's version,
// then admitted as an update; apply patches go to server-side apply.
import type { ServerResponse } from 'node:http';
import { ApiError, fromStorageVersion, typeFacts, type ResourceInfo } from '../../api/index.js';
import { applyPatch } from '../patch/index.js';
import { negotiate, parseMediaType } from '../media-types.js';
import { metaOf, readMeta } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ObjectMap } from '../watch-cache.js';
import { readBody, type ApiRequest } from './http-io.js';
import { fieldValidationParam } from './request-options.js';
import { admitBody, typeNameOf } from './admit-body.js';
import { patchOptionsInvalid, serveApply } from './apply-handler.js';
import { requestContext } from './request-context.js';
import { sendOne } from './views.js';

export async function servePatch(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
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
