// Warnings kube returns for pod specs in pods and in every pod template (deprecated node labels,
// negative grace periods, duplicate ports), each prefixed with the field path it concerns.

import type { FieldPath } from '../field-errors.js';
import { type Obj, objAt, objItems, numAt, strAt } from './object-access.js';

const deprecatedNodeLabels = [
  ['beta.kubernetes.io/os', 'kubernetes.io/os'],
  ['beta.kubernetes.io/arch', 'kubernetes.io/arch'],
  ['failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/zone'],
  ['failure-domain.beta.kubernetes.io/region', 'topology.kubernetes.io/region'],
] as const;

export function podSpecWarnings(spec: Readonly<Obj> | undefined, path: FieldPath): string[] {
  const out: string[] = [];
  const nodeSelector = objAt(spec, 'nodeSelector') ?? {};
  for (const [deprecated, replacement] of deprecatedNodeLabels) {
    if (deprecated in nodeSelector) out.push(`${path.child('nodeSelector').key(deprecated).toString()}: deprecated since v1.14; use "${replacement}" instead`);
  }
  const grace = numAt(spec, 'terminationGracePeriodSeconds');
  if (grace !== undefined && grace < 0)
    out.push(`${path.child('terminationGracePeriodSeconds').toString()}: must be >= 0; negative values are invalid and will be treated as 1`);
  for (const [c, i] of objItems(spec, 'containers')) {
    const seen = new Map<string, number>();
    for (const [port, j] of objItems(c, 'ports')) {
      const key = `${numAt(port, 'containerPort') ?? 0}/${strAt(port, 'protocol') || 'TCP'}/${strAt(port, 'hostIP')}/${numAt(port, 'hostPort') ?? 0}`;
      const first = seen.get(key);
      const p = path.child('containers').index(i).child('ports').index(j).toString();
      if (first !== undefined) out.push(`${p}: duplicate port definition with ${path.child('containers').index(i).child('ports').index(first).toString()}`);
      else seen.set(key, j);
    }
  }
  return out;
}

/** Warnings for a PodTemplateSpec at `path` (for workloads: `spec.template`). */
export function podTemplateWarnings(template: Readonly<Obj> | undefined, path: FieldPath): string[] {
  return podSpecWarnings(objAt(template, 'spec'), path.child('spec'));
}
