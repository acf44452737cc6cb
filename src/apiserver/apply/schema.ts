// The schema server-side apply walks: how each node of an object merges and is owned (scalar,
// atomic, struct, granular map, list by type). Built-in kinds read it from the API type facts;
// a CRD's structural schema can supply the same interface.
import { typeFacts, type FieldFacts, type FieldType, type StructuralSchema } from '../../api/index.js';

export type SchemaNode =
  | { readonly kind: 'scalar' }
  /** Owned and replaced as a whole (atomic structs, maps and lists). */
  | { readonly kind: 'atomic' }
  /** Unknown shape: objects merge key by key, lists are atomic (structured-merge-diff's deduced type). */
  | { readonly kind: 'deduced' }
  /** Named fields; a name the struct does not know is deduced. */
  | {
      readonly kind: 'struct';
      field(name: string): SchemaNode;
      /**
       * Whether a field is absent from the type's zero value (a Go pointer, an omitempty list or map,
       * an omitzero field), so an Update that sets it owns the field itself as well as its contents,
       * as kube-apiserver's comparison with the zero value finds. Unknown for CRD schemas.
       */
      zeroOmits?(name: string): boolean;
    }
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
      zeroOmits(name: string): boolean {
        const f = byName.get(name);
        if (!f) return true;
        return f.pointer === true || f.omitZero === true || (f.omitEmpty === true && (f.type.kind === 'array' || f.type.kind === 'map'));
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

/**
 * The schema of a custom resource from its CRD's structural schema: lists are atomic unless
 * `x-kubernetes-list-type` says set or map (CRDs default to atomic, unlike built-ins), objects
 * with properties are structs, additionalProperties make granular maps, and metadata is ObjectMeta.
 */
export function structuralSchema(schema: StructuralSchema): ApplySchema {
  let root: SchemaNode | undefined;
  return {
    root: () => {
      if (root) return root;
      const body = structuralNode(schema);
      const meta = refNode('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', undefined);
      return (root = {
        kind: 'struct',
        field: (name) => (name === 'metadata' ? meta : name === 'apiVersion' || name === 'kind' ? SCALAR : body.kind === 'struct' ? body.field(name) : DEDUCED),
      });
    },
  };
}

function structuralNode(s: StructuralSchema): SchemaNode {
  if (s['x-kubernetes-int-or-string']) return SCALAR;
  if (s.type === 'array') {
    const listType = s['x-kubernetes-list-type'];
    let items: SchemaNode | undefined;
    const itemsOf = () => (items ??= s.items ? structuralNode(s.items) : DEDUCED);
    if (listType === 'set') return { kind: 'list', listType: 'set', keys: [], keyDefault: () => undefined, items: itemsOf };
    if (listType === 'map' && s['x-kubernetes-list-map-keys']?.length) {
      const keys = s['x-kubernetes-list-map-keys'];
      return { kind: 'list', listType: 'map', keys: [...keys].sort(), keyDefault: (k) => s.items?.properties?.[k]?.default, items: itemsOf };
    }
    return ATOMIC;
  }
  if (s.type === 'object' || s.properties || s.additionalProperties) {
    if (s['x-kubernetes-map-type'] === 'atomic') return ATOMIC;
    const props = s.properties;
    const extra = s.additionalProperties;
    if (props && Object.keys(props).length) {
      const fields = new Map<string, SchemaNode>();
      return {
        kind: 'struct',
        field(name: string): SchemaNode {
          let child = fields.get(name);
          if (!child) {
            const p = props[name];
            child = p ? structuralNode(p) : typeof extra === 'object' ? structuralNode(extra) : DEDUCED;
            fields.set(name, child);
          }
          return child;
        },
      };
    }
    if (typeof extra === 'object') {
      let values: SchemaNode | undefined;
      return { kind: 'map', values: () => (values ??= structuralNode(extra)) };
    }
    return DEDUCED;
  }
  return s.type ? SCALAR : DEDUCED;
}
