// The `type` label of etcd_request_duration_seconds: the resource a storage key or prefix belongs
// to (`pods`, `deployments.apps`), read from the /registry/<group>/<resource>/ layout.

export function storageType(key: string): string {
  if (!key.startsWith('/registry/')) return 'other';
  const groupEnd = key.indexOf('/', 10);
  if (groupEnd < 0) return 'other';
  const resourceEnd = key.indexOf('/', groupEnd + 1);
  const resource = key.slice(groupEnd + 1, resourceEnd < 0 ? undefined : resourceEnd);
  if (!resource) return 'other';
  const group = key.slice(10, groupEnd);
  return group === 'core' ? resource : `${resource}.${group}`;
}
