// The resource catalogue: every group/version/resource Skiff serves, with kube-apiserver's names,
// short names, categories, scope, verbs and subresources. Discovery, routing, OpenAPI and storage
// keys all read from here, together with the run-time registry of custom resources.
import { dynamicResources } from './custom-resources/dynamic-resources.js';
import type { GroupVersion, ResourceInfo, SubresourceInfo } from './resource-info.js';

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const rw = ['get', 'patch', 'update'] as const;

interface Spec {
  resource: string;
  kind: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: readonly string[];
  sub?: SubresourceInfo[];
  storage?: { group: string; resource: string; version: string };
}

const status: SubresourceInfo = { name: 'status', verbs: rw };
const scale: SubresourceInfo = { name: 'scale', verbs: rw, kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } };

function groupVersion(group: string, version: string, specs: Spec[]): ResourceInfo[] {
  return specs.map((s) => ({
    group,
    version,
    resource: s.resource,
    singular: s.kind.toLowerCase(),
    kind: s.kind,
    listKind: `${s.kind}List`,
    namespaced: s.namespaced ?? true,
    verbs: s.verbs ?? allVerbs,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    subresources: s.sub ?? [],
    storage: s.storage ?? { group, resource: s.resource, version },
  }));
}

const all = ['all'];

/** A removed version's scale subresource: it reads and writes that version's own Scale kind. */
function legacyScale(group: string, version: string): SubresourceInfo {
  return { name: 'scale', verbs: rw, kind: { group, version, kind: 'Scale' } };
}

/**
 * Versions Kubernetes removed in 1.16 (extensions/v1beta1 Ingress in 1.22) that old manifests
 * still use. They share the v1 storage and convert through src/api/conversion/legacy-*.ts.
 * They carry no short names or categories: kubectl would warn that `deploy` or `ing` is
 * ambiguous, and `kubectl get all` would list every object twice.
 */
function legacyVersions(group: 'apps' | 'extensions'): ResourceInfo[] {
  const apps = (resource: string, version = 'v1') => ({ group: 'apps', resource, version });
  const workloads = (servedGroup: string, version: string, kinds: string[]): Spec[] => {
    const sc = legacyScale(servedGroup, version);
    const specs: Record<string, Spec> = {
      ControllerRevision: { resource: 'controllerrevisions', kind: 'ControllerRevision', storage: apps('controllerrevisions') },
      DaemonSet: { resource: 'daemonsets', kind: 'DaemonSet', sub: [status], storage: apps('daemonsets') },
      Deployment: { resource: 'deployments', kind: 'Deployment', sub: [sc, status], storage: apps('deployments') },
      ReplicaSet: { resource: 'replicasets', kind: 'ReplicaSet', sub: [sc, status], storage: apps('replicasets') },
      StatefulSet: { resource: 'statefulsets', kind: 'StatefulSet', sub: [sc, status], storage: apps('statefulsets') },
    };
    return kinds.map((k) => specs[k]!);
  };
  if (group === 'apps') {
    return [
      ...groupVersion('apps', 'v1beta2', workloads('apps', 'v1beta2', ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'])),
      ...groupVersion('apps', 'v1beta1', workloads('apps', 'v1beta1', ['ControllerRevision', 'Deployment', 'StatefulSet'])),
    ];
  }
  return [
    ...groupVersion('extensions', 'v1beta1', [
      ...workloads('extensions', 'v1beta1', ['DaemonSet', 'Deployment']),
      {
        resource: 'ingresses',
        kind: 'Ingress',
        sub: [status],
        storage: { group: 'networking.k8s.io', resource: 'ingresses', version: 'v1' },
      },
      {
        resource: 'networkpolicies',
        kind: 'NetworkPolicy',
        storage: { group: 'networking.k8s.io', resource: 'networkpolicies', version: 'v1' },
      },
      ...workloads('extensions', 'v1beta1', ['ReplicaSet']),
    ]),
  ];
}

export const resources: readonly ResourceInfo[] = [
  ...groupVersion('', 'v1', [
    { resource: 'bindings', kind: 'Binding', verbs: ['create'] },
    { resource: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] },
    { resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] },
    { resource: 'endpoints', kind: 'Endpoints', shortNames: ['ep'] },
    { resource: 'events', kind: 'Event', shortNames: ['ev'] },
    { resource: 'limitranges', kind: 'LimitRange', shortNames: ['limits'] },
    {
      resource: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      shortNames: ['ns'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      sub: [{ name: 'finalize', verbs: ['update'] }, status],
    },
    {
      resource: 'nodes',
      kind: 'Node',
      namespaced: false,
      shortNames: ['no'],
      sub: [{ name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, status],
    },
    { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'], sub: [status] },
    { resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], sub: [status] },
    {
      resource: 'pods',
      kind: 'Pod',
      shortNames: ['po'],
      categories: all,
      sub: [
        { name: 'attach', verbs: ['create', 'get'] },
        { name: 'binding', verbs: ['create'], kind: { group: '', version: 'v1', kind: 'Binding' } },
        { name: 'ephemeralcontainers', verbs: rw },
        { name: 'eviction', verbs: ['create'], kind: { group: 'policy', version: 'v1', kind: 'Eviction' } },
        { name: 'exec', verbs: ['create', 'get'] },
        { name: 'log', verbs: ['get'] },
        { name: 'portforward', verbs: ['create', 'get'] },
        { name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
        status,
      ],
    },
    { resource: 'podtemplates', kind: 'PodTemplate' },
    { resource: 'replicationcontrollers', kind: 'ReplicationController', shortNames: ['rc'], categories: all, sub: [scale, status] },
    { resource: 'resourcequotas', kind: 'ResourceQuota', shortNames: ['quota'], sub: [status] },
    { resource: 'secrets', kind: 'Secret' },
    {
      resource: 'serviceaccounts',
      kind: 'ServiceAccount',
      shortNames: ['sa'],
      sub: [{ name: 'token', verbs: ['create'], kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } }],
    },
    {
      resource: 'services',
      kind: 'Service',
      shortNames: ['svc'],
      categories: all,
      sub: [{ name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, status],
    },
  ]),
  ...groupVersion('apiextensions.k8s.io', 'v1', [
    {
      resource: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      sub: [status],
    },
  ]),
  ...groupVersion('apps', 'v1', [
    { resource: 'controllerrevisions', kind: 'ControllerRevision' },
    { resource: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], categories: all, sub: [status] },
    { resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: all, sub: [scale, status] },
    { resource: 'replicasets', kind: 'ReplicaSet', shortNames: ['rs'], categories: all, sub: [scale, status] },
    { resource: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], categories: all, sub: [scale, status] },
  ]),
  ...legacyVersions('apps'),
  ...groupVersion('autoscaling', 'v2', [
    { resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], categories: all, sub: [status] },
  ]),
  ...groupVersion('autoscaling', 'v1', [
    {
      resource: 'horizontalpodautoscalers',
      kind: 'HorizontalPodAutoscaler',
      shortNames: ['hpa'],
      categories: all,
      sub: [status],
      storage: { group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2' },
    },
  ]),
  ...groupVersion('batch', 'v1', [
    { resource: 'cronjobs', kind: 'CronJob', shortNames: ['cj'], categories: all, sub: [status] },
    { resource: 'jobs', kind: 'Job', categories: all, sub: [status] },
  ]),
  ...groupVersion('certificates.k8s.io', 'v1', [
    {
      resource: 'certificatesigningrequests',
      kind: 'CertificateSigningRequest',
      namespaced: false,
      shortNames: ['csr'],
      sub: [{ name: 'approval', verbs: rw }, status],
    },
  ]),
  ...groupVersion('coordination.k8s.io', 'v1', [{ resource: 'leases', kind: 'Lease' }]),
  ...groupVersion('discovery.k8s.io', 'v1', [{ resource: 'endpointslices', kind: 'EndpointSlice' }]),
  ...groupVersion('events.k8s.io', 'v1', [
    { resource: 'events', kind: 'Event', shortNames: ['ev'], storage: { group: '', resource: 'events', version: 'v1' } },
  ]),
  ...groupVersion('networking.k8s.io', 'v1', [
    { resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
    { resource: 'ingresses', kind: 'Ingress', shortNames: ['ing'], sub: [status] },
    { resource: 'networkpolicies', kind: 'NetworkPolicy', shortNames: ['netpol'] },
  ]),
  ...groupVersion('policy', 'v1', [{ resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', shortNames: ['pdb'], sub: [status] }]),
  ...groupVersion('rbac.authorization.k8s.io', 'v1', [
    { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
    { resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { resource: 'rolebindings', kind: 'RoleBinding' },
    { resource: 'roles', kind: 'Role' },
  ]),
  ...groupVersion('scheduling.k8s.io', 'v1', [{ resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] }]),
  ...groupVersion('storage.k8s.io', 'v1', [{ resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] }]),
  // Last, so that kubectl resolves `ingresses` and `networkpolicies` to networking.k8s.io.
  ...legacyVersions('extensions'),
];

/** Groups in the order kube-apiserver lists them; each group's versions with the preferred first. */
export function servedGroups(): { group: string; versions: string[] }[] {
  const out: { group: string; versions: string[] }[] = [];
  for (const r of allResources()) {
    let g = out.find((x) => x.group === r.group);
    if (!g) out.push((g = { group: r.group, versions: [] }));
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

const byPath = new Map<string, ResourceInfo>(resources.map((r) => [`${r.group}/${r.version}/${r.resource}`, r]));

/** The built-in resources followed by the custom resources served right now. */
export function allResources(): readonly ResourceInfo[] {
  const dynamic = dynamicResources.list();
  return dynamic.length ? [...resources, ...dynamic] : resources;
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return (
    byPath.get(`${group}/${version}/${resource}`) ?? dynamicResources.list().find((r) => r.group === group && r.version === version && r.resource === resource)
  );
}

export function resourcesOf(group: string, version: string): ResourceInfo[] {
  return allResources().filter((r) => r.group === group && r.version === version);
}

export function apiVersionOf(gv: GroupVersion): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
