// DELETECOLLECTION: deletes every object the selectors match, one by one, and lists what went.
import type { ServerResponse } from 'node:http';
import { ApiError, apiVersionOf, fromStorageVersion, type ResourceInfo } from '../../api/index.js';
import { negotiate } from '../media-types.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ObjectMap } from '../watch-cache.js';
import { sendObject, type ApiRequest } from './http-io.js';
import { deleteOptions } from './delete-options.js';
import { requestContext } from './request-context.js';
import { selectorParams } from './request-options.js';

export async function serveDeleteCollection(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
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
