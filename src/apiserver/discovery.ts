// Discovery documents: legacy (/api, /apis, /apis/<g>, per group-version APIResourceLists) and
// aggregated (apidiscovery.k8s.io/v2 and v2beta1, chosen by the Accept header).
import { allResources, resourcesOf, servedGroups, type ResourceInfo, type SubresourceInfo } from '../api/index.js';
import { parseAccept } from './media-types.js';

/** The kind each streaming or option subresource answers with, as kube-apiserver reports it. */
const subresourceKinds: Record<string, string> = {
  'pods/log': 'Pod',
  'pods/exec': 'PodExecOptions',
  'pods/attach': 'PodAttachOptions',
  'pods/portforward': 'PodPortForwardOptions',
  'pods/proxy': 'PodProxyOptions',
  'pods/ephemeralcontainers': 'Pod',
  'nodes/proxy': 'NodeProxyOptions',
  'services/proxy': 'ServiceProxyOptions',
};

function subresourceKind(r: ResourceInfo, s: SubresourceInfo): { group: string; version: string; kind: string } {
  if (s.kind) return s.kind;
  return { group: '', version: 'v1', kind: subresourceKinds[`${r.resource}/${s.name}`] ?? r.kind };
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(g: { group: string; versions: string[] }): unknown {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups()
      .filter((g) => g.group !== '')
      .map(groupEntry),
  };
}

export function apiGroup(group: string): unknown {
  const g = servedGroups().find((x) => x.group === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(g) as object) } : undefined;
}

export function apiResourceList(group: string, version: string): unknown {
  const list = resourcesOf(group, version);
  if (!list.length) return undefined;
  const out: unknown[] = [];
  for (const r of list) {
    out.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      const k = subresourceKind(r, s);
      out.push({
        name: `${r.resource}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.kind ? { group: k.group, version: k.version } : {}),
        kind: k.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: out };
}

export type AggregatedVersion = 'v2' | 'v2beta1';

/** Which aggregated discovery version the Accept header asks for, if any. */
export function aggregatedDiscoveryRequested(accept: string | undefined): AggregatedVersion | undefined {
  for (const r of parseAccept(accept)) {
    if (r.type !== 'application/json' || r.params.g !== 'apidiscovery.k8s.io' || r.params.as !== 'APIGroupDiscoveryList') {
      if (r.type === 'application/json' || r.type === '*/*') return undefined;
      continue;
    }
    if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v;
  }
  return undefined;
}

export function aggregatedContentType(v: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

function aggregatedResource(r: ResourceInfo): unknown {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({ subresource: s.name, responseKind: subresourceKind(r, s), verbs: s.verbs })),
        }
      : {}),
  };
}

/** `legacy` true: the core group (for /api); false: every named group (for /apis). */
export function aggregatedDiscovery(legacy: boolean, v: AggregatedVersion): unknown {
  const groups = servedGroups().filter((g) => (g.group === '') === legacy);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: allResources()
          .filter((r) => r.group === g.group && r.version === version)
          .map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}
