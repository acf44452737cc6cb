// The schema server-side apply walks: how each node of an object merges and is owned (scalar,
// atomic, struct, granular map, list by type). Built-in kinds read it from the API type facts;
// a CRD's structural schema can supply the same interface.
import { typeFacts, type FieldFacts, type FieldType } from '../../api/facts/index.js';

export type SchemaNode =
  | { readonly kind: 'scalar' }
  /** Owned and replaced as a whole (atomic structs, maps and lists). */
  | { readonly kind: 'atomic' }
  /** Unknown shape: objects merge key by key, lists are atomic (structured-merge-diff's deduced type). */
  | { readonly kind: 'deduced' }
  /** Named fields; a name the struct does not know is deduced. */
  | { readonly kind: 'struct'; field(name: string): SchemaNode }
  | { readonly kind: 'map'; values(): SchemaNode }
  | {
      readonly kind: 'list';
      readonly listType: 'set' | 'map';
      /** Key fields of a map list, sorted. */
      readonly keys: readonly string[];
      /** The value a missing key field takes (its schema default), or undefined. */
      keyDefault(key: string): unknown;
      items(): SchemaNode;
    };

/** Where apply learns an object's shape: the root node of one kind. */
export interface ApplySchema {
  root(): SchemaNode;
}

const SCALAR: SchemaNode = { kind: 'scalar' };
const ATOMIC: SchemaNode = { kind: 'atomic' };
const DEDUCED: SchemaNode = { kind: 'deduced' };

/** The schema of a built-in type from the API type facts, e.g. io.k8s.api.apps.v1.Deployment. */
export function factsSchema(typeName: string): ApplySchema {
  return { root: () => refNode(typeName, undefined) };
}

const structCache = new Map<string, SchemaNode>();

function refNode(typeName: string, field: FieldFacts | undefined): SchemaNode {
  const facts = typeFacts(typeName);
  if (!facts) return DEDUCED;
  if (facts.special) return facts.special === 'raw-extension' || facts.special === 'json' ? DEDUCED : SCALAR;
  if (facts.structType === 'atomic' || field?.structType === 'atomic') return ATOMIC;
  let node = structCache.get(typeName);
  if (!node) {
    const fields = new Map<string, SchemaNode>();
    const byName = new Map(facts.fields.map((f) => [f.name, f]));
    node = {
      kind: 'struct',
      field(name: string): SchemaNode {
        let child = fields.get(name);
        if (!child) {
          const f = byName.get(name);
          child = f ? fieldNode(f.type, f) : DEDUCED;
          fields.set(name, child);
        }
        return child;
      },
    };
    structCache.set(typeName, node);
  }
  return node;
}

function fieldNode(type: FieldType, field: FieldFacts | undefined): SchemaNode {
  switch (type.kind) {
    case 'ref':
      return refNode(type.type, field);
    case 'map': {
      if (field?.mapType === 'atomic') return ATOMIC;
      let values: SchemaNode | undefined;
      return { kind: 'map', values: () => (values ??= fieldNode(type.values, undefined)) };
    }
    case 'array':
      return listNode(type.items, field);
    default:
      return SCALAR;
  }
}

function listNode(itemType: FieldType, field: FieldFacts | undefined): SchemaNode {
  let items: SchemaNode | undefined;
  const itemsOf = () => (items ??= fieldNode(itemType, undefined));
  if (field?.listType === 'atomic') return ATOMIC;
  if (field?.listType === 'set') return { kind: 'list', listType: 'set', keys: [], keyDefault: () => undefined, items: itemsOf };
  const keys = field?.listMapKeys?.length ? field.listMapKeys : field?.patchMergeKey ? [field.patchMergeKey] : undefined;
  if (keys) {
    const itemFacts = itemType.kind === 'ref' ? typeFacts(itemType.type) : undefined;
    const defaults = new Map(keys.map((k) => [k, itemFacts?.fields.find((f) => f.name === k)?.default]));
    return { kind: 'list', listType: 'map', keys: [...keys].sort(), keyDefault: (k) => defaults.get(k), items: itemsOf };
  }
  if (field?.patchStrategy?.includes('merge') && itemType.kind !== 'ref') {
    return { kind: 'list', listType: 'set', keys: [], keyDefault: () => undefined, items: itemsOf };
  }
  return ATOMIC;
}
