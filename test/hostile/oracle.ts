// The hostile-input suite's oracle: what kube-apiserver would never have stored. It walks a stored
// object along the API type facts, as Go's typed decoding and kube's validation see it, and lists
// every value that breaks their rules: integers out of their Go type's range or not integers,
// int-or-strings beyond int32, quantities outside kube's grammar, null items in typed lists, invalid
// label keys and values, and pod specs without valid containers. It is written from kube's rules,
// not from the server's code, so a server that stores what it should have refused is caught.
import { typeFacts, type FieldType } from '../../src/api/index.js';

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;
// JSON numbers at or beyond ±2^63 do not fit Go's int64 (2^63 - 1 itself is not a JS number).
const int64Limit = 2 ** 63;
// resource.ParseQuantity's grammar: sign, digits with an optional fraction, an optional suffix.
const quantityPattern = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Every rule `obj` (of the type named `typeName`) breaks, as `path: what`; empty when kube would have stored it. */
export function kubeWouldRefuse(obj: unknown, typeName: string): string[] {
  const problems: string[] = [];
  walk(obj, { kind: 'ref', type: typeName }, '', problems, 0);
  const meta = (obj as { metadata?: { labels?: Record<string, unknown> } }).metadata;
  for (const [k, v] of Object.entries(meta?.labels ?? {})) {
    if (!validQualifiedName(k)) problems.push(`metadata.labels: invalid key ${clip(k)}`);
    if (typeof v !== 'string' || v.length > 63 || (v !== '' && !qualifiedNamePart.test(v)))
      problems.push(`metadata.labels[${clip(k)}]: invalid value ${clip(v)}`);
  }
  for (const spec of podSpecs(obj)) {
    const containers = spec.containers;
    if (!Array.isArray(containers) || containers.length === 0) problems.push('pod spec without containers');
    const all: unknown[] = [
      ...(Array.isArray(containers) ? (containers as unknown[]) : []),
      ...(Array.isArray(spec.initContainers) ? (spec.initContainers as unknown[]) : []),
    ];
    for (const c of all) {
      const name = (c as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || !dns1123Label.test(name) || name.length > 63) problems.push(`container with invalid name ${clip(name)}`);
    }
  }
  return problems;
}

function walk(value: unknown, type: FieldType, path: string, problems: string[], depth: number): void {
  if (depth > 64) {
    problems.push(`${path}: nested more than 64 levels in a typed object`);
    return;
  }
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: not a string: ${clip(value)}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') problems.push(`${path}: not a bool: ${clip(value)}`);
      return;
    case 'int32':
      if (!Number.isInteger(value) || (value as number) < int32Min || (value as number) > int32Max) problems.push(`${path}: not an int32: ${clip(value)}`);
      return;
    case 'int64':
      if (!Number.isInteger(value) || Math.abs(value as number) >= int64Limit) problems.push(`${path}: not an int64: ${clip(value)}`);
      return;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: not a float64: ${clip(value)}`);
      return;
    case 'bytes':
      if (typeof value !== 'string') problems.push(`${path}: not base64 text: ${clip(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${path}: not a list: ${clip(value)}`);
        return;
      }
      value.forEach((item, i) => {
        if (item === null) problems.push(`${path}[${i}]: null item`);
        else walk(item, type.items, `${path}[${i}]`, problems, depth + 1);
      });
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${path}: not a map: ${clip(value)}`);
        return;
      }
      for (const [k, v] of Object.entries(value)) {
        if (v === null) problems.push(`${path}[${clip(k)}]: null value`);
        else walk(v, type.values, `${path}[${clip(k)}]`, problems, depth + 1);
      }
      return;
    case 'ref':
      walkRef(value, type.type, path, problems, depth);
  }
}

function walkRef(value: unknown, typeName: string, path: string, problems: string[], depth: number): void {
  const facts = typeFacts(typeName);
  if (!facts) return;
  switch (facts.special) {
    case 'quantity':
      if (typeof value !== 'string' || !quantityPattern.test(value) || !quantityFits(value)) problems.push(`${path}: not a quantity: ${clip(value)}`);
      return;
    case 'int-or-string':
      if (typeof value === 'number' ? !Number.isInteger(value) || value < int32Min || value > int32Max : typeof value !== 'string') {
        problems.push(`${path}: not an int-or-string: ${clip(value)}`);
      }
      return;
    case undefined:
      break;
    default:
      return;
  }
  if (facts.enum) return;
  if (facts.fields.length === 0) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: not an object: ${clip(value)}`);
    return;
  }
  for (const field of facts.fields) {
    const v = (value as Record<string, unknown>)[field.name];
    if (v === undefined) continue;
    // Go writes null for a zero Time and for nil pointers, slices and maps without omitempty.
    if (v === null) continue;
    walk(v, field.type, path ? `${path}.${field.name}` : field.name, problems, depth + 1);
  }
}

/** resource.ParseQuantity refuses exponents far beyond what an int64 scale can hold. */
function quantityFits(text: string): boolean {
  const exp = /[eE]([+-]?[0-9]+)$/.exec(text);
  return !exp || Math.abs(Number(exp[1])) < 1000;
}

function validQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !dns1123Subdomain.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && qualifiedNamePart.test(name);
}

/** Every pod spec inside an object: a Pod's, a template's, a CronJob's job template's. */
function podSpecs(obj: unknown): Record<string, unknown>[] {
  const o = obj as { kind?: string; spec?: Record<string, unknown> };
  const spec = o.spec;
  if (!spec) return [];
  if (o.kind === 'Pod') return [spec];
  const tpl = (spec.template as { spec?: Record<string, unknown> } | undefined)?.spec;
  if (tpl) return [tpl];
  const jobTpl = (spec.jobTemplate as { spec?: { template?: { spec?: Record<string, unknown> } } } | undefined)?.spec?.template?.spec;
  return jobTpl ? [jobTpl] : [];
}

export function clip(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
