// What every verb handler needs of a request: the store of the resource it names, and the context
// (user, dry run, field manager, warnings) writes carry into the registry.
import type { ResourceInfo } from '../../api/index.js';
import { apiVersionOf } from '../../api/index.js';
import { defaultFieldManager, type RequestContext } from '../registry/context.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ApiRequest } from './http-io.js';
import { dryRunParam, fieldManagerParam } from './request-options.js';

export interface ResourceEnv {
  store(r: ResourceInfo): ResourceStore;
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
