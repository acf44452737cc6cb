// What a request carries into the registry: who asks, dry-run, field manager, and the warnings
// that go back in `Warning` headers.

export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

export interface RequestContext {
  readonly user: UserInfo;
  readonly dryRun: boolean;
  /** Explicit `fieldManager`, or the default derived from the User-Agent. */
  readonly fieldManager: string;
  /** API version the client spoke (for managedFields entries). */
  readonly apiVersion: string;
  readonly warnings: string[];
  /** Server-side apply has already written metadata.managedFields; the store keeps them as they are. */
  readonly managedFieldsRecorded?: boolean;
}

/** kube-apiserver's default field manager: the User-Agent up to the first '/'. */
export function defaultFieldManager(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const slash = ua.indexOf('/');
  const name = slash < 0 ? ua : ua.slice(0, slash);
  return name.slice(0, 128) || 'unknown';
}
