// What a pod as a whole requests or is limited to: app containers and sidecars (init containers
// with restartPolicy Always) run together, each regular init container runs alone beside the
// sidecars started before it, and the larger of the two counts (kube's PodRequests/PodLimits).
import { addQuantity, compareQuantity, parseQuantity, type Quantity } from './resource-quantity.js';

type Obj = Record<string, unknown>;

function rec(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function containers(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((x): x is Obj => rec(x) !== undefined) : [];
}

function addList(into: Map<string, Quantity>, list: Obj | undefined): void {
  for (const [k, v] of Object.entries(list ?? {})) {
    const parsed = parseQuantity(v);
    if (parsed) into.set(k, into.has(k) ? addQuantity(into.get(k)!, parsed) : parsed);
  }
}

export function podResourceTotals(spec: Readonly<Obj> | undefined, which: 'requests' | 'limits'): Map<string, Quantity> {
  const listOf = (c: Obj) => rec(rec(c.resources)?.[which]);
  const sum = new Map<string, Quantity>();
  for (const c of containers(spec?.containers)) addList(sum, listOf(c));
  const sidecars = new Map<string, Quantity>();
  const initPeak = new Map<string, Quantity>();
  for (const c of containers(spec?.initContainers)) {
    if (c.restartPolicy === 'Always') {
      addList(sum, listOf(c));
      addList(sidecars, listOf(c));
      continue;
    }
    const running = new Map(sidecars);
    addList(running, listOf(c));
    for (const [k, v] of running) if (!initPeak.has(k) || compareQuantity(v, initPeak.get(k)!) > 0) initPeak.set(k, v);
  }
  for (const [k, v] of initPeak) if (!sum.has(k) || compareQuantity(v, sum.get(k)!) > 0) sum.set(k, v);
  // Pod-level resources, where set, replace the containers' cpu and memory.
  const podLevel = rec(rec(spec?.resources)?.[which]);
  for (const k of ['cpu', 'memory']) {
    const v = parseQuantity(podLevel?.[k]);
    if (podLevel?.[k] !== undefined && v) sum.set(k, v);
  }
  return sum;
}
