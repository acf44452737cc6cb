// `kubectl get componentstatuses` (`cs`), as kube-apiserver answers it: one ComponentStatus per
// component that reports one (scheduler, controller manager, datastore), each probed when asked,
// with a Healthy condition that is True with message "ok" or False with the reason as its error.
// The API is deprecated since v1.19 and every answer says so.
import type { ServerResponse } from 'node:http';
import { ApiError, type ResourceInfo } from '../api/index.js';
import { runCheck, type HealthCheck, type HealthChecks } from '../component/index.js';
import { sendObject, type ApiRequest } from './handlers/http-io.js';
import { includeObjectParam } from './handlers/views.js';
import { negotiate } from './media-types.js';
import type { ResourceRequest } from './request-info.js';
import { buildTable } from './tables/index.js';

const componentStatusWarning = 'v1 ComponentStatus is deprecated in v1.19+';

async function componentStatus(check: HealthCheck): Promise<Record<string, unknown>> {
  const reason = await runCheck(check);
  return {
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    metadata: { name: check.componentStatus },
    conditions: [reason === undefined ? { type: 'Healthy', status: 'True', message: 'ok' } : { type: 'Healthy', status: 'False', error: reason }],
  };
}

export async function serveComponentStatuses(
  checks: HealthChecks,
  r: ResourceInfo,
  req: ApiRequest,
  res: ServerResponse,
  info: ResourceRequest,
): Promise<void> {
  req.warnings.push(componentStatusWarning);
  if (info.inNamespace || info.subresource) throw ApiError.pathNotFound();
  if (info.verb !== 'get' && info.verb !== 'list') throw ApiError.methodNotAllowed();
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: false });
  const listed = checks.componentStatuses().filter((c) => info.verb === 'list' || c.componentStatus === info.name);
  if (info.verb === 'get' && listed.length === 0) throw ApiError.notFound({ group: '', resource: 'componentstatuses', name: info.name });
  const items = await Promise.all(listed.map(componentStatus));
  if (format.view === 'table') {
    const table = buildTable('', r.resource, items, { includeObject: includeObjectParam(req.query), now: new Date(), listMeta: { resourceVersion: '' } });
    return sendObject(res, 200, table, format);
  }
  if (info.verb === 'get') return sendObject(res, 200, items[0], format);
  sendObject(res, 200, { kind: r.listKind, apiVersion: 'v1', metadata: {}, items }, format);
}
