// What the API serves, read the way kube-controller-manager reads it: /api/v1 and every group
// version under /apis. The garbage collector and the namespace controller act on every resource
// found here, custom resources included, so they need no list of kinds of their own.
import { findResource } from '../../api/index.js';
import type { ApiClient, GroupVersionResource } from '../../client/index.js';
import { errorMessage } from '../../lang/index.js';
import { groupVersionPath } from '../../client/index.js';

export interface DiscoveredResource extends GroupVersionResource {
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  /** The group's preferred version serves it; other versions are kept to map owner references. */
  readonly preferred: boolean;
}

export interface DiscoveryResult {
  readonly resources: readonly DiscoveredResource[];
  /** Group versions that could not be read, as `group/version: reason`. */
  readonly failures: readonly string[];
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface ApiGroupList {
  groups: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[];
}

/** Reads discovery; a group version that fails is reported and skipped, as a partial result. */
export async function discoverResources(client: ApiClient): Promise<DiscoveryResult> {
  const groups = await client.get<ApiGroupList>('/apis');
  const targets: { group: string; version: string; preferred: boolean }[] = [{ group: '', version: 'v1', preferred: true }];
  for (const g of groups.groups) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of g.versions) targets.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  const failures: string[] = [];
  const lists = await Promise.all(
    targets.map(async (t) => {
      const path = groupVersionPath(t.group, t.version);
      try {
        return { ...t, list: await client.get<ApiResourceList>(path) };
      } catch (err) {
        failures.push(`${t.group ? `${t.group}/` : ''}${t.version}: ${errorMessage(err)}`);
        return undefined;
      }
    }),
  );
  const resources: DiscoveredResource[] = [];
  for (const l of lists) {
    if (!l) continue;
    for (const r of l.list.resources) {
      if (r.name.includes('/')) continue;
      resources.push({
        group: l.group,
        version: l.version,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
        preferred: l.preferred,
      });
    }
  }
  return { resources, failures };
}

/**
 * Whether objects of this resource are stored as another resource's (the removed
 * extensions/v1beta1 and apps/v1beta* versions Skiff still serves for old manifests): acting on
 * both would list, watch and delete every such object twice.
 */
export function servesAnotherResource(r: GroupVersionResource): boolean {
  const info = findResource(r.group, r.version, r.resource);
  return !!info && (info.storage.group !== r.group || info.storage.resource !== r.resource);
}
