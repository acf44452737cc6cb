// The typed walks of server-side apply over plain JSON values: the field set an applied
// configuration claims, the merge of that configuration into the live object by list type, the
// removal of fields nobody applies any more, and the lookup of a path's value for conflicts.
import { FieldSet } from './field-set.js';
import type { SchemaNode } from './schema.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

type JsonObject = Record<string, unknown>;

/** The FieldsV1 element naming one item of a set or map list. */
export function itemElement(node: SchemaNode & { kind: 'list' }, item: unknown): string {
  if (node.listType === 'set') return `v:${JSON.stringify(item)}`;
  const ids: JsonObject = {};
  for (const k of node.keys) {
    const v = isRecord(item) && item[k] !== undefined ? item[k] : node.keyDefault(k);
    if (v !== undefined) ids[k] = v;
  }
  return `k:${JSON.stringify(ids)}`;
}

/** The schema of a field or map value of `node` (deduced where the node says nothing). */
export function childNode(node: SchemaNode, key: string): SchemaNode {
  if (node.kind === 'struct') return node.field(key);
  if (node.kind === 'map') return node.values();
  return { kind: 'deduced' };
}

/** Whether `node` holds its contents as separately owned fields (or as one leaf). */
function granular(node: SchemaNode, value: unknown): boolean {
  if (node.kind === 'struct' || node.kind === 'map') return isRecord(value);
  if (node.kind === 'deduced') return isRecord(value);
  return node.kind === 'list' && Array.isArray(value);
}

/** The fields a value sets: leaves, list items, and the keys of maps (not of structs). */
export function fieldSetOf(value: unknown, node: SchemaNode, set = new FieldSet()): FieldSet {
  if (!granular(node, value)) {
    set.member = true;
    return set;
  }
  if (node.kind === 'list') {
    for (const item of value as unknown[]) {
      const c = set.child(itemElement(node, item));
      c.member = true;
      fieldSetOf(item, node.items(), c);
    }
    return set;
  }
  for (const [k, v] of Object.entries(value as JsonObject)) {
    if (v === undefined) continue;
    const c = set.child(`f:${k}`);
    fieldSetOf(v, childNode(node, k), c);
    if (node.kind !== 'struct') c.member = true;
  }
  return set;
}

/** The applied configuration merged into the live value: config wins on leaves, maps and keyed lists merge. */
export function mergeValue(live: unknown, config: unknown, node: SchemaNode): unknown {
  if (config === undefined) return live;
  if (live === undefined || !granular(node, live) || !granular(node, config)) return structuredClone(config);
  if (node.kind === 'list') {
    const liveItems = live as unknown[];
    const configItems = config as unknown[];
    const byElement = new Map<string, unknown>();
    for (const item of configItems) byElement.set(itemElement(node, item), item);
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (const item of liveItems) {
      const e = itemElement(node, item);
      seen.add(e);
      out.push(byElement.has(e) ? mergeValue(item, byElement.get(e), node.items()) : item);
    }
    for (const item of configItems) if (!seen.has(itemElement(node, item))) out.push(structuredClone(item));
    return out;
  }
  const out: JsonObject = { ...(live as JsonObject) };
  for (const [k, v] of Object.entries(config as JsonObject)) out[k] = mergeValue(out[k], v, childNode(node, k));
  return out;
}

/**
 * `value` without the fields of `set`, sparing whatever `keep` still owns: a dropped node that
 * holds kept fields loses only its other contents. Containers the removal empties disappear.
 */
export function removeFields(value: unknown, set: FieldSet, keep: FieldSet | undefined, node: SchemaNode): unknown {
  if (set.member) return keep && !keep.empty() ? pruneExcept(value, keep, node) : undefined;
  if (set.children.size === 0 || !granular(node, value)) return value;
  if (node.kind === 'list') {
    const out: unknown[] = [];
    for (const item of value as unknown[]) {
      const e = itemElement(node, item);
      const sub = set.children.get(e);
      const kept = sub ? removeFields(item, sub, keep?.children.get(e), node.items()) : item;
      if (kept !== undefined) out.push(kept);
    }
    return out.length ? out : undefined;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value as JsonObject)) {
    const sub = set.children.get(`f:${k}`);
    const kept = sub ? removeFields(v, sub, keep?.children.get(`f:${k}`), childNode(node, k)) : v;
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Only the parts of `value` that `keep` owns (or leads to). */
function pruneExcept(value: unknown, keep: FieldSet, node: SchemaNode): unknown {
  if (keep.member || !granular(node, value)) return value;
  if (node.kind === 'list') {
    const out: unknown[] = [];
    for (const item of value as unknown[]) {
      const k = keep.children.get(itemElement(node, item));
      if (k && !k.empty()) out.push(pruneExcept(item, k, node.items()));
    }
    return out;
  }
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value as JsonObject)) {
    const k = keep.children.get(`f:${key}`);
    if (k && !k.empty()) out[key] = pruneExcept(v, k, childNode(node, key));
  }
  return out;
}

/**
 * The paths of `set` whose value differs between `before` and `after` (changed leaves, and any
 * path `before` lacks): where another manager's fields would be overwritten.
 */
export function changedPaths(set: FieldSet, before: unknown, after: unknown, node: SchemaNode): FieldSet {
  const out = new FieldSet();
  walkChanged(set, before, after, node, out);
  return out;
}

function walkChanged(set: FieldSet, before: unknown, after: unknown, node: SchemaNode, out: FieldSet): void {
  if (set.member) {
    const leaf = !granular(node, after) || !granular(node, before);
    if (before === undefined || (leaf && !jsonEqual(before, after))) {
      out.member = true;
      if (before === undefined) {
        for (const [e, c] of set.children) if (!c.empty()) out.setChild(e, c.clone());
        return;
      }
    }
  }
  if (set.children.size === 0) return;
  if (node.kind === 'list') {
    const beforeItems = indexItems(node, before);
    const afterItems = indexItems(node, after);
    for (const [e, c] of set.children) {
      const sub = new FieldSet();
      walkChanged(c, beforeItems.get(e), afterItems.get(e), node.items(), sub);
      if (!sub.empty()) out.setChild(e, sub);
    }
    return;
  }
  for (const [e, c] of set.children) {
    const k = e.slice(2);
    const sub = new FieldSet();
    walkChanged(c, isRecord(before) ? before[k] : undefined, isRecord(after) ? after[k] : undefined, childNode(node, k), sub);
    if (!sub.empty()) out.setChild(e, sub);
  }
}

function indexItems(node: SchemaNode & { kind: 'list' }, value: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (Array.isArray(value)) for (const item of value) out.set(itemElement(node, item), item);
  return out;
}
