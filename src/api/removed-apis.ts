// Lifecycle of the removed API versions Skiff still serves (kubernetes/api's
// zz_generated.prerelease-lifecycle.go), and the deprecation warning kube-apiserver words from it.
import type { GroupVersion } from './resource-info.js';

interface Lifecycle {
  readonly deprecated: string;
  readonly removed: string;
  readonly replacement?: string;
}

const appsV1 = (kind: string): Lifecycle => ({ deprecated: '1.8', removed: '1.16', replacement: `apps/v1 ${kind}` });
const appsV1From19 = (kind: string): Lifecycle => ({ deprecated: '1.9', removed: '1.16', replacement: `apps/v1 ${kind}` });

const lifecycles: Record<string, Record<string, Lifecycle>> = {
  'extensions/v1beta1': {
    DaemonSet: appsV1('DaemonSet'),
    Deployment: appsV1('Deployment'),
    ReplicaSet: appsV1('ReplicaSet'),
    Ingress: { deprecated: '1.14', removed: '1.22', replacement: 'networking.k8s.io/v1 Ingress' },
    NetworkPolicy: { deprecated: '1.9', removed: '1.16', replacement: 'networking.k8s.io/v1 NetworkPolicy' },
    Scale: { deprecated: '1.2', removed: '1.16' },
  },
  'apps/v1beta1': {
    ControllerRevision: appsV1('ControllerRevision'),
    Deployment: appsV1('Deployment'),
    StatefulSet: appsV1('StatefulSet'),
    Scale: { deprecated: '1.8', removed: '1.16', replacement: 'autoscaling/v1 Scale' },
  },
  'apps/v1beta2': {
    ControllerRevision: appsV1From19('ControllerRevision'),
    DaemonSet: appsV1From19('DaemonSet'),
    Deployment: appsV1From19('Deployment'),
    ReplicaSet: appsV1From19('ReplicaSet'),
    StatefulSet: appsV1From19('StatefulSet'),
    Scale: { deprecated: '1.9', removed: '1.16', replacement: 'autoscaling/v1 Scale' },
  },
};

/** The Warning text for a request served in a removed version, or undefined for current ones. */
export function removedApiWarning(gv: GroupVersion, kind: string): string | undefined {
  const groupVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
  const lifecycle = lifecycles[groupVersion]?.[kind];
  if (!lifecycle) return undefined;
  const replacement = lifecycle.replacement ? `; use ${lifecycle.replacement}` : '';
  return `${groupVersion} ${kind} is deprecated in v${lifecycle.deprecated}+, unavailable in v${lifecycle.removed}+${replacement}`;
}
