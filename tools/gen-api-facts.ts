// Generates src/api/facts/facts.json from the Go sources of kubernetes/api and
// kubernetes/apimachinery: JSON names, value types, protobuf numbers and the list/map/patch markers
// of every API type Skiff serves. Usage: npx tsx tools/gen-api-facts.ts <api-dir> <apimachinery-dir>
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FactsCatalogue, FieldFacts, FieldType, GroupVersionKind, SpecialType, TypeFacts } from '../src/api/index.js';
import { parseGoPackage, type GoField, type GoPackage, type GoStruct } from './gen-api-facts/go-source.js';

/** Group/versions whose kinds Skiff serves, as directories of kubernetes/api. */
const servedPackages = [
  'core/v1',
  'apps/v1',
  'batch/v1',
  'networking/v1',
  'rbac/v1',
  'coordination/v1',
  'discovery/v1',
  'events/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'policy/v1',
  'storage/v1',
  'scheduling/v1',
  'certificates/v1',
  'authentication/v1',
  'authorization/v1',
  'admissionregistration/v1',
  // Removed versions old manifests still use; Skiff serves them converted to their v1 storage.
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
];

const metaPath = 'k8s.io/apimachinery/pkg/apis/meta/v1';

/** Types whose JSON form is not their Go struct, keyed by Go import path and name. */
const specialTypes: Record<string, SpecialType> = {
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'quantity',
  [`${metaPath}.Time`]: 'time',
  [`${metaPath}.MicroTime`]: 'micro-time',
  [`${metaPath}.Duration`]: 'duration',
  [`${metaPath}.FieldsV1`]: 'fields-v1',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'int-or-string',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'raw-extension',
};

const anyJsonType = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON';

/** meta/v1 kinds kube-apiserver registers without a group ("unversioned" in the core group). */
const coreMetaKinds = new Set(['Status', 'APIVersions', 'APIGroupList', 'APIGroup', 'APIResourceList']);
/** meta/v1 kinds registered in meta.k8s.io/v1 only. */
const metaGroupKinds = new Set(['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);
/** meta/v1 kinds registered into every served group version (options and watch events). */
const everyGroupKinds = new Set(['WatchEvent', 'DeleteOptions', 'ListOptions', 'GetOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions']);

class FactsGenerator {
  private readonly packages = new Map<string, GoPackage>();
  private readonly types: Record<string, TypeFacts> = {};
  private readonly pending: Array<{ pkg: GoPackage; struct: GoStruct }> = [];

  constructor(
    private readonly apiDir: string,
    private readonly machineryDir: string,
  ) {}

  run(): FactsCatalogue {
    this.types[anyJsonType] = { name: anyJsonType, special: 'json', fields: [] };
    for (const [goPath, special] of Object.entries(specialTypes)) {
      const name = definitionName(goPath.slice(0, goPath.lastIndexOf('.')), goPath.slice(goPath.lastIndexOf('.') + 1));
      this.types[name] = { name, special, fields: [] };
    }
    const metaPkg = this.load(metaPath);
    for (const struct of metaPkg.structs.values()) {
      if (metaPkg.modelNames.size === 0 || metaPkg.modelNames.has(struct.name)) this.enqueue(metaPkg, struct);
    }
    for (const dir of servedPackages) {
      const pkg = this.load(`k8s.io/api/${dir}`);
      for (const struct of pkg.structs.values()) {
        if (pkg.modelNames.size === 0 || pkg.modelNames.has(struct.name)) this.enqueue(pkg, struct);
      }
    }
    for (let item = this.pending.shift(); item; item = this.pending.shift()) this.emitStruct(item.pkg, item.struct);
    const sorted: Record<string, TypeFacts> = {};
    for (const name of Object.keys(this.types).sort()) sorted[name] = this.types[name]!;
    return { source: { api: commitOf(this.apiDir), apimachinery: commitOf(this.machineryDir) }, types: sorted };
  }

  private load(goPath: string): GoPackage {
    const cached = this.packages.get(goPath);
    if (cached) return cached;
    let dir: string;
    if (goPath.startsWith('k8s.io/api/')) dir = join(this.apiDir, goPath.slice('k8s.io/api/'.length));
    else if (goPath.startsWith('k8s.io/apimachinery/')) dir = join(this.machineryDir, goPath.slice('k8s.io/apimachinery/'.length));
    else throw new Error(`cannot resolve Go package ${goPath}`);
    const pkg = parseGoPackage(goPath, dir);
    this.packages.set(goPath, pkg);
    return pkg;
  }

  private enqueue(pkg: GoPackage, struct: GoStruct): string {
    const name = definitionName(pkg.path, struct.name);
    if (this.types[name]) return name;
    // Placeholder so recursive references do not enqueue the type twice.
    this.types[name] = { name, fields: [] };
    this.pending.push({ pkg, struct });
    return name;
  }

  private emitStruct(pkg: GoPackage, struct: GoStruct): void {
    const name = definitionName(pkg.path, struct.name);
    if (struct.unparsed.length > 0) throw new Error(`${name}: cannot read field ${struct.unparsed[0]}`);
    const fields = this.structFields(pkg, struct, []);
    const gvk = this.gvkOf(pkg, struct, fields);
    this.types[name] = {
      name,
      ...(gvk.length > 0 ? { gvk } : {}),
      ...(stringMarker(struct.markers.structType) ? { structType: asStructType(stringMarker(struct.markers.structType)!) } : {}),
      fields,
    };
  }

  /** The struct's JSON fields, with inlined (embedded) structs flattened in place. */
  private structFields(pkg: GoPackage, struct: GoStruct, embeddedIn: readonly number[] | undefined): FieldFacts[] {
    const out: FieldFacts[] = [];
    for (const field of struct.fields) {
      const json = parseJsonTag(field.tags.json);
      if (json.skip) continue;
      const proto = parseProtoTag(field.tags.protobuf);
      if (field.embedded && json.name === '') {
        const { pkg: innerPkg, name: innerName } = this.resolveNamed(pkg, field.type.replace(/^\*/, ''));
        const inner = innerPkg.structs.get(innerName);
        if (!inner) throw new Error(`${pkg.path}.${struct.name}: embedded ${field.type} is not a struct`);
        // Fields promoted from an embedding without a protobuf number (TypeMeta) are not in the message.
        const innerPath = embeddedIn && proto ? [...embeddedIn, proto.number] : undefined;
        out.push(...this.structFields(innerPkg, inner, innerPath));
        continue;
      }
      out.push(this.fieldFacts(pkg, struct, field, json, proto, embeddedIn));
    }
    return out;
  }

  private fieldFacts(
    pkg: GoPackage,
    struct: GoStruct,
    field: GoField,
    json: JsonTag,
    proto: ProtoTag | undefined,
    embeddedIn: readonly number[] | undefined,
  ): FieldFacts {
    const jsonName = json.name || field.name;
    const pointer = field.type.startsWith('*');
    const resolved = this.resolveType(pkg, field.type.replace(/^\*/, ''), `${struct.name}.${field.name}`);
    const m = field.markers;
    const optional = m.optional === true || m['k8s:optional'] === true;
    const required = m.required === true || m['k8s:required'] === true || (!optional && !pointer && !json.omitEmpty && !json.omitZero);
    const patchStrategy = field.tags.patchStrategy ?? stringMarker(m.patchStrategy);
    const patchMergeKey = field.tags.patchMergeKey ?? stringMarker(m.patchMergeKey);
    const listType = stringMarker(m.listType);
    const listMapKeys = m.listMapKey === undefined ? undefined : [m.listMapKey].flat().map(String);
    const mapType = stringMarker(m.mapType);
    const structType = stringMarker(m.structType);
    const defaultValue = parseDefault(stringMarker(m.default));
    return {
      name: jsonName,
      type: resolved.type,
      ...(proto && embeddedIn ? { proto: proto.number } : {}),
      ...(embeddedIn && embeddedIn.length > 0 && proto ? { embeddedIn } : {}),
      ...(pointer ? { pointer: true } : {}),
      ...(required ? { required: true } : {}),
      ...(json.omitEmpty ? { omitEmpty: true } : {}),
      ...(json.omitZero ? { omitZero: true } : {}),
      ...(patchStrategy ? { patchStrategy } : {}),
      ...(patchMergeKey ? { patchMergeKey } : {}),
      ...(listType ? { listType: asListType(listType) } : {}),
      ...(listMapKeys ? { listMapKeys } : {}),
      ...(mapType ? { mapType: asStructType(mapType) } : {}),
      ...(structType ? { structType: asStructType(structType) } : {}),
      ...(resolved.enumValues ? { enum: resolved.enumValues } : {}),
      ...(defaultValue !== undefined ? { default: defaultValue } : {}),
    };
  }

  private resolveNamed(pkg: GoPackage, expr: string): { pkg: GoPackage; name: string } {
    const dot = expr.indexOf('.');
    if (dot < 0) return { pkg, name: expr };
    const alias = expr.slice(0, dot);
    const path = pkg.imports.get(alias);
    if (!path) throw new Error(`${pkg.path}: unknown import alias ${alias}`);
    return { pkg: this.load(path), name: expr.slice(dot + 1) };
  }

  private resolveType(pkg: GoPackage, expr: string, where: string): { type: FieldType; enumValues?: readonly string[] } {
    if (expr === '[]byte') return { type: { kind: 'bytes' } };
    if (expr.startsWith('[]')) {
      const items = this.resolveType(pkg, expr.slice(2).replace(/^\*/, ''), where);
      return { type: { kind: 'array', items: items.type }, ...(items.enumValues ? { enumValues: items.enumValues } : {}) };
    }
    if (expr.startsWith('map[')) {
      const close = matchingBracket(expr, 3);
      const values = this.resolveType(pkg, expr.slice(close + 1).replace(/^\*/, ''), where);
      return { type: { kind: 'map', values: values.type } };
    }
    switch (expr) {
      case 'string':
        return { type: { kind: 'string' } };
      case 'bool':
        return { type: { kind: 'bool' } };
      case 'int32':
      case 'uint32':
        return { type: { kind: 'int32' } };
      case 'int':
      case 'int64':
      case 'uint64':
        return { type: { kind: 'int64' } };
      case 'float64':
      case 'float32':
        return { type: { kind: 'double' } };
    }
    // Arbitrary JSON (Table cells) shares the apiextensions JSON type, the catalogue's "any value".
    if (expr === 'interface{}' || expr === 'any') return { type: { kind: 'ref', type: anyJsonType } };
    if (expr.startsWith('k8s.io') || !/^[A-Za-z_][\w.]*$/.test(expr)) throw new Error(`${where}: unsupported Go type ${expr}`);
    const { pkg: owner, name } = this.resolveNamed(pkg, expr);
    const special = specialTypes[`${owner.path}.${name}`];
    if (special) return { type: { kind: 'ref', type: definitionName(owner.path, name) } };
    const struct = owner.structs.get(name);
    if (struct) return { type: { kind: 'ref', type: this.enqueue(owner, struct) } };
    const named = owner.namedTypes.get(name);
    if (!named) throw new Error(`${where}: unknown type ${owner.path}.${name}`);
    const underlying = this.resolveType(owner, named.underlying, where);
    if (underlying.type.kind === 'array' && owner.protoMessages.has(name)) {
      return { type: { ...underlying.type, wrapped: true } };
    }
    const enumValues = named.markers.enum === true ? owner.constants.get(name) : undefined;
    return {
      type: underlying.type,
      ...(enumValues && enumValues.length > 0 ? { enumValues: [...enumValues].sort() } : underlying.enumValues ? { enumValues: underlying.enumValues } : {}),
    };
  }

  private gvkOf(pkg: GoPackage, struct: GoStruct, fields: readonly FieldFacts[]): GroupVersionKind[] {
    const embedsTypeMeta = struct.fields.some((f) => f.embedded && /(^|\.)TypeMeta$/.test(f.type));
    // WatchEvent has no TypeMeta of its own but is registered as a kind in every group version.
    if (!embedsTypeMeta && !(pkg.path === metaPath && everyGroupKinds.has(struct.name))) return [];
    const version = pkg.path.slice(pkg.path.lastIndexOf('/') + 1);
    if (pkg.path === metaPath) {
      if (coreMetaKinds.has(struct.name)) return [{ group: '', version: 'v1', kind: struct.name }];
      if (metaGroupKinds.has(struct.name)) return [{ group: 'meta.k8s.io', version: 'v1', kind: struct.name }];
      if (everyGroupKinds.has(struct.name)) {
        const gvks = servedPackages.map((dir) => {
          const served = this.load(`k8s.io/api/${dir}`);
          return { group: served.groupName ?? '', version: dir.slice(dir.indexOf('/') + 1), kind: struct.name };
        });
        return [...gvks, { group: 'meta.k8s.io', version: 'v1', kind: struct.name }];
      }
      return [];
    }
    const hasMeta = fields.some((f) => f.name === 'metadata' && f.type.kind === 'ref' && /\.(ObjectMeta|ListMeta)$/.test(f.type.type));
    if (!hasMeta) return [];
    return [{ group: pkg.groupName ?? '', version, kind: struct.name }];
  }
}

interface JsonTag {
  name: string;
  skip: boolean;
  omitEmpty: boolean;
  omitZero: boolean;
}

function parseJsonTag(tag: string | undefined): JsonTag {
  if (tag === undefined) return { name: '', skip: false, omitEmpty: false, omitZero: false };
  const [name = '', ...options] = tag.split(',');
  return { name, skip: name === '-', omitEmpty: options.includes('omitempty'), omitZero: options.includes('omitzero') };
}

interface ProtoTag {
  number: number;
}

function parseProtoTag(tag: string | undefined): ProtoTag | undefined {
  if (!tag) return undefined;
  const number = Number(tag.split(',')[1]);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`bad protobuf tag ${tag}`);
  return { number };
}

function stringMarker(value: string | true | readonly string[] | undefined): string | undefined {
  if (value === undefined || value === true) return undefined;
  return typeof value === 'string' ? value : value[value.length - 1];
}

/** `+default=` holds JSON; `ref(Name)` defaults name a Go constant and are left out. */
function parseDefault(text: string | undefined): unknown {
  if (text === undefined || text.startsWith('ref(')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`cannot read +default=${text}`);
  }
}

function asListType(value: string): 'atomic' | 'set' | 'map' {
  if (value === 'atomic' || value === 'set' || value === 'map') return value;
  throw new Error(`unknown listType ${value}`);
}

function asStructType(value: string): 'atomic' | 'granular' {
  if (value === 'atomic' || value === 'granular') return value;
  throw new Error(`unknown map/struct type ${value}`);
}

function matchingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  throw new Error(`unbalanced brackets in ${text}`);
}

/** OpenAPI definition name of a Go type: k8s.io/api/core/v1.Pod → io.k8s.api.core.v1.Pod. */
function definitionName(goPath: string, name: string): string {
  const [host = '', ...rest] = goPath.split('/');
  return [...host.split('.').reverse(), ...rest, name].join('.');
}

function commitOf(dir: string): string {
  const file = join(dir, 'COMMIT');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : 'unknown';
}

function main(): void {
  const [apiDir, machineryDir] = process.argv.slice(2);
  if (!apiDir || !machineryDir || !existsSync(apiDir) || !existsSync(machineryDir)) {
    process.stderr.write('usage: npx tsx tools/gen-api-facts.ts <kubernetes/api dir> <kubernetes/apimachinery dir>\n');
    process.exit(2);
  }
  if (!readdirSync(join(apiDir, 'core')).includes('v1')) throw new Error(`${apiDir} is not a kubernetes/api checkout`);
  const catalogue = new FactsGenerator(apiDir, machineryDir).run();
  const out = new URL('../src/api/facts/facts.json', import.meta.url);
  // One type per line: diffs stay readable without pretty-printing every field.
  const lines = Object.values(catalogue.types).map((t) => `${JSON.stringify(t.name)}:${JSON.stringify(t)}`);
  writeFileSync(out, `{"source":${JSON.stringify(catalogue.source)},\n"types":{\n${lines.join(',\n')}\n}}\n`);
  process.stdout.write(`wrote ${lines.length} types to ${out.pathname}\n`);
}

main();
