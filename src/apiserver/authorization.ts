// What an authenticated user may do, decided once per request before any handler runs. Today's
// policy: everything, except /metrics, which only cluster admins read (kube grants it through
// RBAC). RBAC replaces this function without touching the routes.
import { ApiError } from '../api/index.js';
import type { UserInfo } from './registry/context.js';
import type { NonResourceRequest, ResourceRequest } from './request-info.js';

export type Authorizer = (user: UserInfo, request: ResourceRequest | NonResourceRequest, method: string) => void;

const adminOnlyPaths: ReadonlySet<string> = new Set(['/metrics']);

/** Throws Forbidden when the user may not make the request. */
export const defaultAuthorizer: Authorizer = (user, request, method) => {
  if (request.kind === 'nonresource' && adminOnlyPaths.has(request.path) && !user.groups.includes('system:masters')) {
    const verb = method === 'GET' || method === 'HEAD' ? 'get' : method.toLowerCase();
    throw new ApiError(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${verb} path "${request.path}"`, {});
  }
};
