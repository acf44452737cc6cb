// Safe readers over untyped JSON objects, plus the small formatters several printers share
// (label maps, label selectors, container lists, access modes), each printing as kube's does.
import { labelSelectorFromObject, FieldPath } from '../../api/index.js';
import { ageSince } from './human-duration.js';
import { isRecord } from '../../lang/index.js';

export type Obj = Readonly<Record<string, unknown>>;

/** The object at a dotted path, or an empty object when any step is missing. */
export function rec(o: unknown, path = ''): Obj {
  const v = path ? at(o, path) : o;
  return isRecord(v) ? v : {};
}

export function at(o: unknown, path: string): unknown {
  let current = o;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

export const str = (o: unknown, path: string): string => {
  const v = at(o, path);
  return typeof v === 'string' ? v : '';
};

/** A string field, or undefined when unset (for Go pointer fields). */
export const optStr = (o: unknown, path: string): string | undefined => {
  const v = at(o, path);
  return typeof v === 'string' ? v : undefined;
};

export const int = (o: unknown, path: string): number => {
  const v = at(o, path);
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
};

export const optInt = (o: unknown, path: string): number | undefined => {
  const v = at(o, path);
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined;
};

export const optBool = (o: unknown, path: string): boolean | undefined => {
  const v = at(o, path);
  return typeof v === 'boolean' ? v : undefined;
};

export const list = (o: unknown, path: string): readonly unknown[] => {
  const v = at(o, path);
  return Array.isArray(v) ? v : [];
};

export const records = (o: unknown, path: string): readonly Obj[] => list(o, path).filter(isRecord);

export const count = (o: unknown, path: string): number => {
  const v = at(o, path);
  if (Array.isArray(v)) return v.length;
  return isRecord(v) ? Object.keys(v).length : 0;
};

/** The object's name, the first cell of nearly every table. */
export const objectName = (o: Obj): string => str(o, 'metadata.name');

/** The AGE cell: time since creation. */
export const objectAge = (o: Obj, now: Date): string => ageSince(str(o, 'metadata.creationTimestamp'), now);

/** `k=v,k2=v2` in key order, `<none>` when empty (labels.FormatLabels). */
export function formatLabels(map: unknown): string {
  if (!isRecord(map)) return '<none>';
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${typeof map[k] === 'string' ? map[k] : ''}`).join(',');
}

/** The selector's canonical text, `<none>` when empty or missing, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorText(selector);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}

/** The selector's canonical text ('' for missing or empty), or undefined when it is invalid. */
export function labelSelectorText(selector: unknown): string | undefined {
  const { selector: parsed, errors } = labelSelectorFromObject(selector, FieldPath.root());
  return errors.length ? undefined : parsed.toString();
}

/** Comma-joined container names and images, as layoutContainerCells lays them out. */
export function containerCells(containers: readonly Obj[]): [string, string] {
  return [containers.map((c) => str(c, 'name')).join(','), containers.map((c) => str(c, 'image')).join(',')];
}

const accessModeOrder: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** Access modes in kube's fixed order and short names, whatever order they were given in. */
export function accessModes(modes: readonly unknown[]): string {
  return accessModeOrder
    .filter(([mode]) => modes.includes(mode))
    .map(([, short]) => short)
    .join(',');
}

/** A resource quantity as stored; unset prints as Quantity's zero value does. */
export function quantity(v: unknown): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return '0';
}

/** intstr.IntOrString.String(). */
export function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(Math.trunc(v)) : typeof v === 'string' ? v : '';
}

/** A pointer-to-bool cell: True, False or <unset>. */
export function boolPointer(v: boolean | undefined): string {
  return v === undefined ? '<unset>' : v ? 'True' : 'False';
}

/** Unique, sorted load-balancer IPs (or hostnames where no IP), comma-joined. */
export function loadBalancerAddresses(ingress: readonly Obj[]): string {
  const set = new Set<string>();
  for (const entry of ingress) {
    const ip = str(entry, 'ip');
    const hostname = str(entry, 'hostname');
    if (ip) set.add(ip);
    else if (hostname) set.add(hostname);
  }
  return [...set].sort().join(',');
}
