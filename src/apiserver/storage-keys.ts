// Storage key layout: /registry/<group>/<resource>/<namespace>/<name>, `core` for the core group,
// and /registry/<group>/<resource>/<name> for cluster-scoped resources.

export interface StorageResource {
  readonly group: string;
  readonly resource: string;
}

export function resourcePrefix(r: StorageResource): string {
  return `/registry/${r.group || 'core'}/${r.resource}/`;
}

/** Prefix of one namespace's objects, or of all objects when namespace is empty. */
export function namespacePrefix(r: StorageResource, namespace: string): string {
  return namespace ? `${resourcePrefix(r)}${namespace}/` : resourcePrefix(r);
}

export function objectKey(r: StorageResource, namespace: string, name: string): string {
  return namespace ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}

/** Splits a key back into its parts; undefined for keys outside the layout. */
export function parseKey(key: string): { group: string; resource: string; rest: string } | undefined {
  const m = /^\/registry\/([^/]+)\/([^/]+)\/(.+)$/.exec(key);
  if (!m) return undefined;
  return { group: m[1] === 'core' ? '' : m[1]!, resource: m[2]!, rest: m[3]! };
}
