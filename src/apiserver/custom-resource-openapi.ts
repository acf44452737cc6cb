// OpenAPI schemas of custom resources, as the apiextensions server publishes them: each served
// version's structural schema under a reversed-group name (`com.example.stable.v1.CronTab`), with
// apiVersion, kind and ObjectMeta added, plus the list type; in the v3 and the v2 dialect.
import { type StructuralSchema, customResourceMetaSchemas, type Schema, allResources, type ResourceInfo } from '../api/index.js';

type Dialect = 'v2' | 'v3';

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function customResources(group?: string, version?: string): ResourceInfo[] {
  return allResources().filter((r) => r.custom && (group === undefined || (r.group === group && r.version === version)));
}

/** The definition name of a custom kind, or undefined when no custom resource has that kind. */
export function customTypeName(group: string, version: string, kind: string): string | undefined {
  const r = customResources(group, version).find((x) => x.kind === kind || x.listKind === kind);
  return r ? `${group.split('.').reverse().join('.')}.${version}.${kind}` : undefined;
}

function ref(name: string, dialect: Dialect): Schema {
  return { $ref: dialect === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}` };
}

/** A schema node as published: v2 has no `nullable`, and both keep Kubernetes' extensions. */
function publish(s: StructuralSchema, dialect: Dialect): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'nullable' && dialect === 'v2') continue;
    if (k === 'x-kubernetes-validations') continue;
    if (k === 'properties' && v && typeof v === 'object')
      out[k] = Object.fromEntries(Object.entries(v as Record<string, StructuralSchema>).map(([name, p]) => [name, publish(p, dialect)]));
    else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') out[k] = publish(v as StructuralSchema, dialect);
    else out[k] = v;
  }
  return out;
}

function objectSchema(r: ResourceInfo, dialect: Dialect): Schema {
  const schema = publish(r.custom?.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, dialect);
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const gvk = [{ group: r.group, version: r.version, kind: r.kind }];
  return {
    ...schema,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: dialect === 'v3' ? { allOf: [ref(`${metaV1}.ObjectMeta`, dialect)], default: {} } : ref(`${metaV1}.ObjectMeta`, dialect),
      ...Object.fromEntries(Object.entries(properties).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata')),
    },
    'x-kubernetes-group-version-kind': gvk,
  };
}

function listSchema(r: ResourceInfo, name: string, dialect: Dialect): Schema {
  return {
    description: `${r.kind}List is a list of ${r.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: ref(name, dialect), description: `List of ${r.resource}.` },
      kind: { type: 'string' },
      metadata: dialect === 'v3' ? { allOf: [ref(`${metaV1}.ListMeta`, dialect)], default: {} } : ref(`${metaV1}.ListMeta`, dialect),
    },
    'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.listKind }],
  };
}

/** Schemas of the custom resources of one group-version (every one when group is undefined), meta types included. */
export function customResourceSchemas(dialect: Dialect, group?: string, version?: string): Record<string, Schema> {
  const list = customResources(group, version);
  if (!list.length) return {};
  const out: Record<string, Schema> = { ...customResourceMetaSchemas(dialect) };
  for (const r of list) {
    const name = customTypeName(r.group, r.version, r.kind)!;
    out[name] = objectSchema(r, dialect);
    out[customTypeName(r.group, r.version, r.listKind)!] = listSchema(r, name, dialect);
  }
  return out;
}
