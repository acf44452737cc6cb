// How a pod's node selection and tolerations meet a node, as kube defines them once for the
// scheduler, the DaemonSet controller and the taint manager: node selector requirements (In,
// NotIn, Exists, DoesNotExist, Gt, Lt over int64), node selector terms (labels and the
// metadata.name field), and whether a toleration tolerates a taint.
import type { NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from 'kubernetes-types/core/v1.js';

const int64 = /^-?\d+$/;

/** One requirement against the value of its key on the node (undefined: the node has no such key). */
export function nodeRequirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !int64.test(value) || !int64.test(values[0] ?? '')) return false;
      const have = BigInt(value);
      const bound = BigInt(values[0] ?? '0');
      return r.operator === 'Gt' ? have > bound : have < bound;
    }
    default:
      return false;
  }
}

/** A term matches when all its expressions (labels) and fields (metadata.name only) do; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  for (const r of expressions) if (!nodeRequirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !nodeRequirementMatches(r, nodeName)) return false;
  return true;
}

/** Whether one toleration tolerates one taint: an empty key with Exists tolerates every taint. */
export function tolerates(toleration: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}
