// GET of one object, in any of the formats and views the client negotiates.
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/index.js';
import { negotiate } from '../media-types.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ApiRequest } from './http-io.js';
import { sendOne } from './views.js';

export async function serveGet(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
  const obj = await store.get(info.namespace, info.name, req.query.get('resourceVersion') ?? undefined);
  sendOne(res, 200, r, obj, format, req.query);
}
