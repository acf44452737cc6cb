// CREATE (POST to a collection): decode, admit and store a new object.
import type { ServerResponse } from 'node:http';
import { ApiError, type ResourceInfo } from '../../api/index.js';
import { decodeBody, negotiate } from '../media-types.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import { readBody, type ApiRequest } from './http-io.js';
import { fieldValidationParam } from './request-options.js';
import { admitBody, checkNamespace } from './admit-body.js';
import { requestContext } from './request-context.js';
import { sendOne } from './views.js';

export async function serveCreate(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
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
