// DELETE of one object: the deleted object (or the one now terminating), or a Status where kube
// answers with one.
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/index.js';
import { negotiate } from '../media-types.js';
import { readMeta } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import { sendObject, type ApiRequest } from './http-io.js';
import { deleteOptions } from './delete-options.js';
import { requestContext } from './request-context.js';
import { sendOne } from './views.js';

export async function serveDelete(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
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
