// metadata.managedFields for Update operations (server-side apply writes its own in ../apply): which
// manager set which fields, as FieldsV1 tries. The object's shape comes from the same schema apply
// walks; what differs is what an Update owns. kube-apiserver compares the new object with the old
// one (a create compares with the type's zero value), so a write owns every leaf it set or changed,
// every list item, and each field it brought into being that the zero value lacks (pointer structs,
// omitempty lists and maps) as a node of its own (`.`).
import { typeNameForKind, parseApiVersion, kubeTime } from '../../api/index.js';
import { FieldSet, childNode, factsSchema, itemElement, unownedMetadata, type ManagedFieldsEntry, type SchemaNode } from '../apply/index.js';
import type { ObjectMap } from '../watch-cache.js';
import type { RequestContext } from './context.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

type JsonObject = Record<string, unknown>;

const DEDUCED: SchemaNode = { kind: 'deduced' };

/** A value held as one leaf: scalars, atomic nodes, empty objects and lists, lists of no type. */
function isLeaf(value: unknown, node: SchemaNode): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (node.kind === 'scalar' || node.kind === 'atomic') return true;
  if (Array.isArray(value)) return node.kind !== 'list' || value.length === 0;
  if (node.kind === 'list') return true;
  for (const k in value) if ((value as JsonObject)[k] !== undefined) return false;
  return true;
}

/**
 * The paths of `value` as an Update sees them, with the leaf values beside them: `values` maps each
 * leaf's trie node to what it held, so two walks can be compared leaf by leaf.
 */
function walk(value: unknown, node: SchemaNode, set: FieldSet, values: Map<FieldSet, unknown>): void {
  if (isLeaf(value, node)) {
    set.member = true;
    values.set(set, value);
    return;
  }
  if (node.kind === 'list') {
    const items = node.items();
    for (const item of value as unknown[]) {
      const c = set.child(itemElement(node, item));
      c.member = true;
      if (node.listType === 'set') values.set(c, undefined);
      else walk(item, items, c, values);
    }
    return;
  }
  for (const k in value as JsonObject) {
    const v = (value as JsonObject)[k];
    if (v === undefined) continue;
    const cn = childNode(node, k);
    const c = set.child(`f:${k}`);
    walk(v, cn, c, values);
    // A field absent from the zero value is a node of its own as well (of unknown types: any object).
    if (c.member) continue;
    if (node.kind === 'struct' && node.zeroOmits ? node.zeroOmits(k) : cn.kind !== 'list') c.member = true;
  }
}

interface Walked {
  readonly set: FieldSet;
  readonly values: Map<FieldSet, unknown>;
}

function walkObject(obj: Readonly<ObjectMap>, root: SchemaNode): Walked {
  const body: JsonObject = {};
  for (const k in obj) if (k !== 'apiVersion' && k !== 'kind') body[k] = obj[k];
  const meta = body.metadata;
  if (isRecord(meta)) {
    const kept: JsonObject = {};
    let any = false;
    for (const k in meta) {
      if (unownedMetadata.has(k) || meta[k] === undefined) continue;
      kept[k] = meta[k];
      any = true;
    }
    if (any) body.metadata = kept;
    else delete body.metadata;
  }
  const set = new FieldSet();
  const values = new Map<FieldSet, unknown>();
  walk(body, root, set, values);
  set.member = false;
  return { set, values };
}

/**
 * Paths of `now` that `before` lacks, and leaves whose value changed; and paths of `before` that
 * `now` lacks. One walk over both tries.
 */
function diff(now: Walked, before: Walked): { changed: FieldSet; removed: FieldSet } {
  const changed = new FieldSet();
  const removed = new FieldSet();
  const visit = (n: FieldSet | undefined, b: FieldSet | undefined, c: FieldSet, r: FieldSet): void => {
    if (n?.member && (!b?.member || (now.values.has(n) && (!before.values.has(b) || !jsonEqual(now.values.get(n), before.values.get(b)))))) {
      c.member = true;
    }
    if (b?.member && !n?.member) r.member = true;
    const elements = new Set<string>();
    if (n) for (const e of n.children.keys()) elements.add(e);
    if (b) for (const e of b.children.keys()) elements.add(e);
    for (const e of elements) {
      const cc = new FieldSet();
      const rc = new FieldSet();
      visit(n?.children.get(e), b?.children.get(e), cc, rc);
      if (cc.member || cc.children.size) c.setChild(e, cc);
      if (rc.member || rc.children.size) r.setChild(e, rc);
    }
  };
  visit(now.set, before.set, changed, removed);
  return { changed, removed };
}

/**
 * Records an Update operation of ctx.fieldManager: the fields this write set or changed become the
 * manager's, other managers lose them, and fields the write removed leave every manager.
 */
export function recordManagedFields(ctx: RequestContext, obj: ObjectMap, old: Readonly<ObjectMap> | undefined, subresource?: string): void {
  if (ctx.managedFieldsRecorded) return;
  const meta = obj.metadata as JsonObject;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : ctx.apiVersion;
  const gv = parseApiVersion(apiVersion);
  const typeName = typeof obj.kind === 'string' ? typeNameForKind(gv.group, gv.version, obj.kind) : undefined;
  const root = typeName ? factsSchema(typeName).root() : DEDUCED;
  const now = walkObject(obj, root);
  const stored = old ? (((old.metadata as JsonObject).managedFields as ManagedFieldsEntry[] | undefined) ?? []) : [];
  const sent = Array.isArray(meta.managedFields) ? (meta.managedFields as ManagedFieldsEntry[]) : undefined;
  // A client may replace managedFields by sending different ones; otherwise the stored ones continue.
  const base = sent && (!old || JSON.stringify(sent) !== JSON.stringify(stored)) ? sent : stored;
  const { changed, removed } = old ? diff(now, walkObject(old, root)) : { changed: now.set, removed: new FieldSet() };
  if (old && changed.empty() && removed.empty()) {
    if (base.length) meta.managedFields = base;
    else delete meta.managedFields;
    return;
  }
  const entries: ManagedFieldsEntry[] = [];
  let own = new FieldSet();
  for (const e of base) {
    const set = FieldSet.fromFieldsV1(e.fieldsV1);
    if (e.manager === ctx.fieldManager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '') && e.apiVersion === apiVersion) {
      own = set;
      continue;
    }
    const left = set.difference(changed).difference(removed);
    if (!left.empty()) entries.push({ ...e, fieldsV1: left.toFieldsV1() });
  }
  own = own.empty() ? changed : own.difference(removed).union(changed);
  if (!own.empty()) {
    entries.push({
      manager: ctx.fieldManager,
      operation: 'Update',
      apiVersion,
      time: kubeTime(),
      fieldsType: 'FieldsV1',
      fieldsV1: own.toFieldsV1(),
      ...(subresource ? { subresource } : {}),
    });
  }
  if (entries.length) meta.managedFields = entries;
  else delete meta.managedFields;
}
