// REST paths and cache keys of Kubernetes objects, as client-go builds them: the legacy core
// group under /api, every other group under /apis, namespaced objects under /namespaces/<ns>.
import type { CachedObject } from './kube-object.js';

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** The discovery path of a group (`/apis/apps`), or of a group version when given (`/api/v1`, `/apis/apps/v1`). */
export function groupVersionPath(group: string, version?: string): string {
  const base = group ? `/apis/${encodeURIComponent(group)}` : '/api';
  return version === undefined ? base : `${base}/${encodeURIComponent(version)}`;
}

/** `/api/v1/namespaces/ns/pods/x/status`; pass no namespace for cluster-scoped objects or all namespaces. */
export function resourcePath(gvr: GroupVersionResource, namespace?: string, name?: string, subresource?: string): string {
  let path = groupVersionPath(gvr.group, gvr.version);
  if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${gvr.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** The informer cache key: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: CachedObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a cache key back into namespace ('' when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
