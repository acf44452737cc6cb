// Reads and writes the simple JSON paths (`.spec.replicas`) a CRD's scale subresource names, so
// /scale of a custom resource reads and sets replicas where its CRD says they live.
import type { ScalePaths } from '../resource-info.js';
import { isRecord } from '../../lang/index.js';

type Obj = Record<string, unknown>;

function steps(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

export function readPath(obj: Readonly<Obj>, path: string): unknown {
  let cur: unknown = obj;
  for (const s of steps(path)) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[s];
  }
  return cur;
}

export function writePath(obj: Obj, path: string, value: unknown): void {
  const parts = steps(path);
  let cur = obj;
  for (const s of parts.slice(0, -1)) {
    const next = cur[s];
    if (isRecord(next)) cur = next;
    else cur = cur[s] = {};
  }
  const last = parts[parts.length - 1];
  if (last !== undefined) cur[last] = value;
}

/** Spec replicas, status replicas and the selector string of a custom resource, as its Scale shows them. */
export function customScale(obj: Readonly<Obj>, paths: ScalePaths): { specReplicas: number; statusReplicas: number; selector?: string } {
  const spec = readPath(obj, paths.specReplicasPath);
  const status = readPath(obj, paths.statusReplicasPath);
  const selector = paths.labelSelectorPath ? readPath(obj, paths.labelSelectorPath) : undefined;
  return {
    specReplicas: typeof spec === 'number' ? spec : 0,
    statusReplicas: typeof status === 'number' ? status : 0,
    ...(typeof selector === 'string' && selector ? { selector } : {}),
  };
}
