// One type's OpenAPI schema as kube-apiserver publishes it, built from the API facts: v3
// `components.schemas` entries (refs wrapped in allOf, zero-value defaults) or v2 `definitions`
// (plain $ref). Descriptions are left out: Skiff does not copy Kubernetes' documentation.
import type { FieldFacts, FieldType, TypeFacts } from '../facts/index.js';
import { scalarZeroValue, typeFacts } from '../facts/index.js';

export type Dialect = 'v2' | 'v3';
export type Schema = Record<string, unknown>;

export function definitionSchema(type: TypeFacts, dialect: Dialect): Schema {
  if (type.special) return specialSchema(type.special, dialect);
  const properties: Schema = {};
  for (const field of [...type.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    properties[field.name] = propertySchema(field, dialect);
  }
  const required = type.fields.filter((f) => f.required).map((f) => f.name);
  return {
    ...(type.fields.length > 0 ? { properties } : {}),
    ...(required.length > 0 ? { required } : {}),
    type: 'object',
    ...(type.gvk ? { 'x-kubernetes-group-version-kind': type.gvk.map((g) => ({ group: g.group, kind: g.kind, version: g.version })) } : {}),
    ...(type.structType ? { 'x-kubernetes-map-type': type.structType } : {}),
  };
}

function specialSchema(special: NonNullable<TypeFacts['special']>, dialect: Dialect): Schema {
  switch (special) {
    case 'quantity':
      return dialect === 'v3' ? { oneOf: [{ type: 'string' }, { type: 'number' }] } : { type: 'string' };
    case 'int-or-string':
      return dialect === 'v3'
        ? { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }
        : { format: 'int-or-string', type: 'string' };
    case 'time':
    case 'micro-time':
      return { format: 'date-time', type: 'string' };
    case 'duration':
      return { type: 'string' };
    case 'raw-extension':
    case 'fields-v1':
      return { type: 'object' };
    case 'json':
      return { 'x-kubernetes-preserve-unknown-fields': true };
  }
}

function propertySchema(field: FieldFacts, dialect: Dialect): Schema {
  const value = valueSchema(field.type, dialect, { property: true, pointer: field.pointer === true });
  if (field.enum) {
    if (field.type.kind === 'array' && typeof value.items === 'object') value.items = { ...(value.items as Schema), enum: field.enum };
    else value.enum = field.enum;
  }
  if (dialect === 'v3') {
    const zero = field.default !== undefined ? field.default : field.pointer || field.omitEmpty ? undefined : scalarZeroValue(field.type);
    if (zero !== undefined && value.default === undefined) value.default = zero;
  }
  if (field.mapType) value['x-kubernetes-map-type'] = field.mapType;
  if (field.structType) value['x-kubernetes-map-type'] = field.structType;
  if (field.listMapKeys) value['x-kubernetes-list-map-keys'] = field.listMapKeys;
  if (field.listType) value['x-kubernetes-list-type'] = field.listType;
  if (field.patchMergeKey) value['x-kubernetes-patch-merge-key'] = field.patchMergeKey;
  if (field.patchStrategy) value['x-kubernetes-patch-strategy'] = field.patchStrategy;
  return value;
}

interface Position {
  /** A struct field (v3 always wraps its refs in allOf, as kube-apiserver does). */
  readonly property: boolean;
  readonly pointer: boolean;
}

function valueSchema(type: FieldType, dialect: Dialect, at: Position): Schema {
  switch (type.kind) {
    case 'string':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'int32':
      return { format: 'int32', type: 'integer' };
    case 'int64':
      return { format: 'int64', type: 'integer' };
    case 'double':
      return { format: 'double', type: 'number' };
    case 'bytes':
      return { format: 'byte', type: 'string' };
    case 'array':
      return { items: valueSchema(type.items, dialect, { property: false, pointer: false }), type: 'array' };
    case 'map':
      return { additionalProperties: valueSchema(type.values, dialect, { property: false, pointer: false }), type: 'object' };
    case 'ref':
      return refSchema(type.type, dialect, at);
  }
}

function refSchema(name: string, dialect: Dialect, at: Position): Schema {
  if (dialect === 'v2') return { $ref: `#/definitions/${name}` };
  const ref = { $ref: `#/components/schemas/${name}` };
  // A non-pointer struct's zero value is `{}`, which kube-apiserver publishes as the default.
  const structDefault = !at.pointer && typeFacts(name)?.special === undefined;
  if (!at.property && !structDefault) return ref;
  return { allOf: [ref], ...(structDefault ? { default: {} } : {}) };
}
