// The pure parts of the StatefulSet controller: ordinals and stable names, the pod a revision
// gives for an ordinal (identity labels, hostname, subdomain, claims in place of the template's
// volumes), and the claims of an ordinal from the volumeClaimTemplates.
import type { PersistentVolumeClaim, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import { controllerReference, revisionHashLabel, type ClaimObject, type PodObject, type StatefulSetObject } from '../shared/index.js';

const podNameLabel = 'statefulset.kubernetes.io/pod-name';
const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** The ordinal of a pod named `<set>-<n>`, or undefined for a name that is not one of the set's. */
export function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const tail = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(tail) ? Number(tail) : undefined;
}

export function startOrdinal(set: StatefulSetObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function claimName(template: PersistentVolumeClaim, setName: string, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${setName}-${ordinal}`;
}

/** The claims the ordinal's pod mounts, as the set's templates describe them. */
export function claimsFor(set: StatefulSetObject, ordinal: number): ClaimObject[] {
  const matchLabels = set.spec?.selector.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(t, set.metadata.name, ordinal),
      namespace: set.metadata.namespace ?? '',
      labels: { ...(t.metadata?.labels ?? {}), ...matchLabels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }));
}

/** The pod of an ordinal at a revision: the revision's template with the set's identity on it. */
export function podFor(set: StatefulSetObject, template: PodTemplateSpec, revisionName: string, ordinal: number): PodObject {
  const name = `${set.metadata.name}-${ordinal}`;
  const t = structuredClone(template);
  const spec = t.spec!;
  const claimVolumes: Volume[] = (set.spec?.volumeClaimTemplates ?? []).map((c) => ({
    name: c.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(c, set.metadata.name, ordinal) },
  }));
  const claimed = new Set(claimVolumes.map((v) => v.name));
  if (claimVolumes.length) spec.volumes = [...(spec.volumes ?? []).filter((v) => !claimed.has(v.name)), ...claimVolumes];
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace ?? '',
      labels: { ...(t.metadata?.labels ?? {}), [podNameLabel]: name, [podIndexLabel]: String(ordinal), [revisionHashLabel]: revisionName },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [controllerReference(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
}
