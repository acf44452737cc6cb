// metadata.managedFields for Update operations (server-side apply writes its own in ../apply): which manager set which fields, in the FieldsV1
// format (`f:<field>`, `k:{<keys>}`, `v:<value>`, `.` for a node owned as a whole). Field shapes
// come from the API type facts: atomic structs and lists are leaves, keyed lists are keyed by their
// list-map keys or merge key, pointer structs and maps are owned as nodes as well as by contents.
import { typeFacts, typeNameForKind, type FieldFacts, type FieldType } from '../../api/facts/index.js';
import { parseApiVersion } from '../../api/resources.js';
import type { ObjectMap } from '../watch-cache.js';
import type { RequestContext } from './context.js';
import { nowTimestamp } from './object-meta.js';

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** A path is the JSON text of its elements; a leaf's value says what it held, to detect changes. */
type FieldMap = Map<string, string>;

const ignoredMeta = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'namespace',
  'name',
]);

function listKeys(field: FieldFacts | undefined): { kind: 'atomic' | 'set' | 'map'; keys: readonly string[] } {
  if (field?.listType === 'set') return { kind: 'set', keys: [] };
  if (field?.listMapKeys?.length) return { kind: 'map', keys: field.listMapKeys };
  if (field?.patchMergeKey) return { kind: 'map', keys: [field.patchMergeKey] };
  if (field?.patchStrategy?.includes('merge') && field.type.kind === 'array' && field.type.items.kind !== 'ref') return { kind: 'set', keys: [] };
  return { kind: 'atomic', keys: [] };
}

function walkStruct(value: Record<string, unknown>, typeName: string, path: string[], out: FieldMap): void {
  const facts = typeFacts(typeName);
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    walkField(
      v,
      facts?.fields.find((f) => f.name === name),
      [...path, `f:${name}`],
      out,
    );
  }
}

function walkField(value: unknown, field: FieldFacts | undefined, path: string[], out: FieldMap): void {
  const key = JSON.stringify(path);
  const type = field?.type;
  if (value === null || typeof value !== 'object') {
    out.set(key, JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    const list = listKeys(field);
    if (list.kind === 'atomic' || value.length === 0) {
      out.set(key, JSON.stringify(value));
      return;
    }
    for (const item of value) {
      if (list.kind === 'set') {
        out.set(JSON.stringify([...path, `v:${JSON.stringify(item)}`]), '');
        continue;
      }
      const ids: Record<string, unknown> = {};
      for (const k of [...list.keys].sort()) {
        const id = (item as Record<string, unknown> | null)?.[k];
        if (id !== undefined) ids[k] = id;
      }
      const itemPath = [...path, `k:${JSON.stringify(ids)}`];
      out.set(JSON.stringify([...itemPath, '.']), '');
      const items = type?.kind === 'array' ? type.items : undefined;
      walkValue(item, items, itemPath, out);
    }
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const struct = type?.kind === 'ref' ? typeFacts(type.type) : undefined;
  if (entries.length === 0 || struct?.special || struct?.structType === 'atomic' || field?.structType === 'atomic' || field?.mapType === 'atomic') {
    out.set(key, JSON.stringify(value));
    return;
  }
  if (field?.pointer || type?.kind === 'map' || !type) out.set(JSON.stringify([...path, '.']), '');
  walkValue(value, type, path, out);
}

function walkValue(value: unknown, type: FieldType | undefined, path: string[], out: FieldMap): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if (type?.kind === 'ref') {
      const struct = typeFacts(type.type);
      if (struct && !struct.special && struct.structType !== 'atomic') {
        walkStruct(value as Record<string, unknown>, type.type, path, out);
        return;
      }
      out.set(JSON.stringify(path), JSON.stringify(value));
      return;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      const childPath = [...path, `f:${k}`];
      const child = type?.kind === 'map' ? type.values : undefined;
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
        out.set(JSON.stringify([...childPath, '.']), '');
        walkValue(v, child, childPath, out);
      } else {
        out.set(JSON.stringify(childPath), JSON.stringify(v));
      }
    }
    return;
  }
  out.set(JSON.stringify(path), JSON.stringify(value));
}

function flatten(obj: Readonly<ObjectMap>, typeName: string | undefined): FieldMap {
  const out: FieldMap = new Map();
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'apiVersion' && k !== 'kind') body[k] = v;
  const meta = body.metadata as Record<string, unknown> | undefined;
  if (meta) {
    const kept = Object.fromEntries(Object.entries(meta).filter(([k]) => !ignoredMeta.has(k)));
    if (Object.keys(kept).length) body.metadata = kept;
    else delete body.metadata;
  }
  if (typeName) walkStruct(body, typeName, [], out);
  else walkValue(body, undefined, [], out);
  return out;
}

function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    for (const part of JSON.parse(p) as string[]) node = (node[part] ??= {}) as Record<string, unknown>;
  }
  return root;
}

function fromFieldsV1(fields: unknown, prefix: string[] = [], out = new Set<string>()): Set<string> {
  if (!fields || typeof fields !== 'object') return out;
  const entries = Object.entries(fields as Record<string, unknown>);
  if (entries.length === 0 && prefix.length) out.add(JSON.stringify(prefix));
  for (const [k, v] of entries) {
    if (k === '.') out.add(JSON.stringify([...prefix, '.']));
    else fromFieldsV1(v, [...prefix, k], out);
  }
  return out;
}

/**
 * Records an Update operation of ctx.fieldManager: the fields this write set or changed become the
 * manager's, other managers lose them, and fields the write removed leave every manager.
 */
export function recordManagedFields(ctx: RequestContext, obj: ObjectMap, old: Readonly<ObjectMap> | undefined, subresource?: string): void {
  if (ctx.managedFieldsRecorded) return;
  const meta = obj.metadata as Record<string, unknown>;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : ctx.apiVersion;
  const gv = parseApiVersion(apiVersion);
  const typeName = typeof obj.kind === 'string' ? typeNameForKind(gv.group, gv.version, obj.kind) : undefined;
  const now = flatten(obj, typeName);
  const before = old ? flatten(old, typeName) : new Map<string, string>();
  const changed = new Set<string>();
  for (const [p, v] of now) if (before.get(p) !== v) changed.add(p);
  const removed = new Set<string>();
  for (const p of before.keys()) if (!now.has(p)) removed.add(p);
  const stored = old ? (((old.metadata as Record<string, unknown>).managedFields as ManagedFieldsEntry[] | undefined) ?? []) : [];
  const sent = Array.isArray(meta.managedFields) ? (meta.managedFields as ManagedFieldsEntry[]) : undefined;
  // A client may replace managedFields by sending different ones; otherwise the stored ones continue.
  const base = sent && (!old || JSON.stringify(sent) !== JSON.stringify(stored)) ? sent : stored;
  if (old && changed.size === 0 && removed.size === 0) {
    if (base.length) meta.managedFields = base;
    else delete meta.managedFields;
    return;
  }
  const entries: ManagedFieldsEntry[] = [];
  let own = new Set<string>();
  for (const e of base) {
    const set = fromFieldsV1(e.fieldsV1);
    if (e.manager === ctx.fieldManager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '') && e.apiVersion === apiVersion) {
      own = set;
      continue;
    }
    for (const p of changed) set.delete(p);
    for (const p of removed) set.delete(p);
    if (set.size) entries.push({ ...e, fieldsV1: toFieldsV1([...set].sort()) });
  }
  for (const p of removed) own.delete(p);
  for (const p of changed) own.add(p);
  if (own.size) {
    entries.push({
      manager: ctx.fieldManager,
      operation: 'Update',
      apiVersion,
      time: nowTimestamp(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1([...own].sort()),
      ...(subresource ? { subresource } : {}),
    });
  }
  if (entries.length) meta.managedFields = entries;
  else delete meta.managedFields;
}
