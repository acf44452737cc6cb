// The CustomResourceDefinition strategy: apiextensions.k8s.io/v1 defaulting and validation (names,
// versions, one storage version, structural schemas), the cleanup finalizer on create, and the
// warning that x-kubernetes-validations (CEL) rules are accepted but not enforced.
import type { FieldError } from '../field-errors.js';
import { defineStrategy } from '../strategies/strategy.js';
import { nameIsDNSSubdomain } from '../strategies/name-validation.js';
import type { StructuralSchema } from './structural-schema.js';
import { isRecord } from '../../lang/index.js';

type Obj = Record<string, unknown>;

export const cleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

function versionsOf(obj: Readonly<Obj>): Obj[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  return Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : [];
}

function defaults(obj: Obj): void {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return;
  const names = isRecord(spec.names) ? spec.names : undefined;
  if (names) {
    if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validateNames(spec: Obj, errs: FieldError[]): void {
  const names = isRecord(spec.names) ? spec.names : {};
  const check = (key: string, requiredMsg = true): void => {
    const v = names[key];
    if (typeof v !== 'string' || v === '') {
      if (requiredMsg) errs.push({ type: 'FieldValueRequired', field: `spec.names.${key}`, detail: '' });
      return;
    }
    if (key === 'kind' || key === 'listKind') return;
    if (!dns1123Label.test(v))
      errs.push({
        type: 'FieldValueInvalid',
        field: `spec.names.${key}`,
        badValue: v,
        detail:
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      });
  };
  check('plural');
  check('singular');
  check('kind');
  check('listKind');
  const shortNames = Array.isArray(names.shortNames) ? names.shortNames : [];
  shortNames.forEach((s, i) => {
    if (typeof s !== 'string' || !dns1123Label.test(s))
      errs.push({
        type: 'FieldValueInvalid',
        field: `spec.names.shortNames[${i}]`,
        badValue: s,
        detail:
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      });
  });
}

/** Structural schema rules: every node names its type, except under preserve-unknown-fields or int-or-string. */
function validateSchemaNode(s: Obj, path: string, root: boolean, errs: FieldError[], warnings: Set<string>): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-validations'] !== undefined) warnings.add(path);
  if (typeof s.type !== 'string' || s.type === '') {
    if (root) errs.push({ type: 'FieldValueRequired', field: `${path}.type`, detail: 'must not be empty at the root' });
    else if (!intOrString && !preserve)
      errs.push({ type: 'FieldValueRequired', field: `${path}.type`, detail: 'must not be empty for specified object fields' });
  } else if (!['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(s.type)) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: `${path}.type`,
      badValue: s.type,
      detail: 'supported values: "array", "boolean", "integer", "number", "object", "string"',
    });
  }
  if (root && s.type !== undefined && s.type !== 'object')
    errs.push({ type: 'FieldValueInvalid', field: `${path}.type`, badValue: s.type, detail: 'must be object at the root' });
  if (s.uniqueItems === true)
    errs.push({
      type: 'FieldValueForbidden',
      field: `${path}.uniqueItems`,
      detail: 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    });
  if (isRecord(s.properties) && isRecord(s.additionalProperties))
    errs.push({ type: 'FieldValueForbidden', field: `${path}.additionalProperties`, detail: 'additionalProperties and properties are mutual exclusive' });
  if (s.type === 'array' && !isRecord(s.items)) errs.push({ type: 'FieldValueRequired', field: `${path}.items`, detail: 'must be specified' });
  for (const key of ['allOf', 'anyOf', 'oneOf', 'not']) {
    if (s[key] !== undefined) errs.push({ type: 'FieldValueForbidden', field: `${path}.${key}`, detail: 'must not be used in structural schemas by Skiff' });
  }
  if (s['$ref'] !== undefined) errs.push({ type: 'FieldValueForbidden', field: `${path}.$ref`, detail: '$ref is not supported' });
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && (typeof listType !== 'string' || !['atomic', 'set', 'map'].includes(listType)))
    errs.push({
      type: 'FieldValueNotSupported',
      field: `${path}.x-kubernetes-list-type`,
      badValue: listType,
      detail: 'supported values: "atomic", "map", "set"',
    });
  if (listType === 'map' && (!Array.isArray(s['x-kubernetes-list-map-keys']) || s['x-kubernetes-list-map-keys'].length === 0))
    errs.push({ type: 'FieldValueRequired', field: `${path}.x-kubernetes-list-map-keys`, detail: 'must not be empty if x-kubernetes-list-type is map' });
  if (s['x-kubernetes-list-map-keys'] !== undefined && listType !== 'map')
    errs.push({ type: 'FieldValueForbidden', field: `${path}.x-kubernetes-list-type`, detail: 'must be map if x-kubernetes-list-map-keys is non-empty' });
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && mapType !== 'granular' && mapType !== 'atomic')
    errs.push({ type: 'FieldValueNotSupported', field: `${path}.x-kubernetes-map-type`, badValue: mapType, detail: 'supported values: "atomic", "granular"' });
  if (isRecord(s.properties))
    for (const [k, p] of Object.entries(s.properties)) if (isRecord(p)) validateSchemaNode(p, `${path}.properties[${k}]`, false, errs, warnings);
  if (isRecord(s.additionalProperties)) validateSchemaNode(s.additionalProperties, `${path}.additionalProperties`, false, errs, warnings);
  if (isRecord(s.items)) validateSchemaNode(s.items, `${path}.items`, false, errs, warnings);
}

function validateVersions(spec: Obj, errs: FieldError[], warnings: Set<string>): void {
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', badValue: versions, detail: 'must have exactly one version marked as storage version' });
    errs.push({ type: 'FieldValueRequired', field: 'spec.versions', detail: 'must contain at least one version' });
    return;
  }
  const seen = new Set<string>();
  let storage = 0;
  let served = 0;
  versions.forEach((raw, i) => {
    const v = isRecord(raw) ? raw : {};
    const path = `spec.versions[${i}]`;
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name) errs.push({ type: 'FieldValueRequired', field: `${path}.name`, detail: '' });
    else if (!dns1123Label.test(name))
      errs.push({
        type: 'FieldValueInvalid',
        field: `${path}.name`,
        badValue: name,
        detail:
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      });
    if (seen.has(name)) errs.push({ type: 'FieldValueInvalid', field: `${path}.name`, badValue: name, detail: 'must be unique' });
    seen.add(name);
    if (v.storage === true) storage++;
    if (v.served === true) served++;
    const schema = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isRecord(schema)) errs.push({ type: 'FieldValueRequired', field: `${path}.schema.openAPIV3Schema`, detail: 'schemas are required' });
    else validateSchemaNode(schema, `${path}.schema.openAPIV3Schema`, true, errs, warnings);
    const sub = isRecord(v.subresources) ? v.subresources : {};
    if (isRecord(sub.scale)) {
      const scale = sub.scale;
      if (typeof scale.specReplicasPath !== 'string' || !scale.specReplicasPath.startsWith('.spec'))
        errs.push({
          type: 'FieldValueInvalid',
          field: `${path}.subresources.scale.specReplicasPath`,
          badValue: scale.specReplicasPath ?? '',
          detail: 'should be a json path under .spec',
        });
      if (typeof scale.statusReplicasPath !== 'string' || !scale.statusReplicasPath.startsWith('.status'))
        errs.push({
          type: 'FieldValueInvalid',
          field: `${path}.subresources.scale.statusReplicasPath`,
          badValue: scale.statusReplicasPath ?? '',
          detail: 'should be a json path under .status',
        });
    }
  });
  if (storage !== 1)
    errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', badValue: versions, detail: 'must have exactly one version marked as storage version' });
  if (served === 0)
    errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', badValue: versions, detail: 'must have at least one version marked as served' });
}

function validateCrd(obj: Readonly<Obj>, warnings?: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const name = isRecord(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
  if (name && name !== `${typeof names.plural === 'string' ? names.plural : ''}.${group}`)
    errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', badValue: name, detail: 'must be spec.names.plural+"."+spec.group' });
  if (!group) errs.push({ type: 'FieldValueRequired', field: 'spec.group', detail: '' });
  else if (!group.includes('.'))
    errs.push({ type: 'FieldValueInvalid', field: 'spec.group', badValue: group, detail: 'should be a domain with at least one dot' });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    if (spec.scope === undefined || spec.scope === '') errs.push({ type: 'FieldValueRequired', field: 'spec.scope', detail: '' });
    else errs.push({ type: 'FieldValueNotSupported', field: 'spec.scope', badValue: spec.scope, detail: 'supported values: "Cluster", "Namespaced"' });
  }
  validateNames(spec, errs);
  validateVersions(spec, errs, warnings ?? new Set());
  const conversion = isRecord(spec.conversion) ? spec.conversion : {};
  if (conversion.strategy !== undefined && conversion.strategy !== 'None')
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.conversion.strategy',
      badValue: conversion.strategy,
      detail: 'supported values: "None" (Skiff runs no conversion webhooks)',
    });
  return errs;
}

function validateCrdUpdate(obj: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs = validateCrd(obj);
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const oldSpec = isRecord(old.spec) ? old.spec : {};
  if (spec.scope !== oldSpec.scope) errs.push({ type: 'FieldValueInvalid', field: 'spec.scope', badValue: spec.scope, detail: 'field is immutable' });
  const status = isRecord(old.status) ? old.status : {};
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions : [];
  const names = new Set(versionsOf(obj).map((v) => v.name));
  stored.forEach((s, i) => {
    if (!names.has(s)) errs.push({ type: 'FieldValueInvalid', field: `status.storedVersions[${i}]`, badValue: s, detail: 'must appear in spec.versions' });
  });
  return errs;
}

function celWarnings(obj: Readonly<Obj>): string[] {
  const paths = new Set<string>();
  validateCrd(obj, paths);
  return [...paths].map((p) => `${p}.x-kubernetes-validations: CEL validation rules are accepted but not enforced by Skiff`);
}

/** The schema of one version of a CRD, or undefined when it has none. */
export function versionSchema(crd: Readonly<Obj>, version: string): StructuralSchema | undefined {
  const v = versionsOf(crd).find((x) => x.name === version);
  const schema = v && isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
  return isRecord(schema) ? schema : undefined;
}

export const customResourceDefinitionStrategy = defineStrategy({
  nameFn: nameIsDNSSubdomain,
  statusSubresource: true,
  specChanged: (a, b) => JSON.stringify(a.spec) !== JSON.stringify(b.spec),
  defaults,
  prepareForCreate(obj) {
    const meta = isRecord(obj.metadata) ? obj.metadata : (obj.metadata = {});
    const finalizers = Array.isArray(meta.finalizers) ? (meta.finalizers as unknown[]) : [];
    if (!finalizers.includes(cleanupFinalizer)) meta.finalizers = [...finalizers, cleanupFinalizer];
    const storage = versionsOf(obj).find((v) => v.storage === true);
    obj.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage.name] : [] };
  },
  prepareForUpdate(obj, old) {
    const storage = versionsOf(obj).find((v) => v.storage === true);
    const status = isRecord(obj.status) ? obj.status : (obj.status = {});
    const stored = Array.isArray(status.storedVersions) ? (status.storedVersions as unknown[]) : [];
    if (storage && !stored.includes(storage.name)) status.storedVersions = [...stored, storage.name];
    void old;
  },
  validate: (obj) => validateCrd(obj),
  validateUpdate: validateCrdUpdate,
  warnings: (obj) => celWarnings(obj),
});
