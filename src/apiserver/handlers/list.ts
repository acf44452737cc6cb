// LIST: selectors, paging with continue tokens, and resourceVersion semantics, served from the
// watch cache through the store.
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/index.js';
import { negotiate } from '../media-types.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ApiRequest } from './http-io.js';
import { intParam, selectorParams } from './request-options.js';
import { sendList } from './views.js';

export async function serveList(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, namespace: string): Promise<void> {
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
