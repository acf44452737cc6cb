// Turns a request body into the object to store, as kube decodes it: apiVersion and kind checked,
// unknown fields handled per fieldValidation, defaults applied, converted to the storage version.
import { ApiError, toStorageVersion, typeNameForKind, apiVersionOf, parseApiVersion, type ResourceInfo, typedDecode } from '../../api/index.js';
import { metaOf } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ObjectMap } from '../watch-cache.js';
import { reportUnknownFields, type FieldValidation } from './request-options.js';
import { admitCustomResource } from './custom-resource-body.js';

/** The Go type name behind a resource's kind, for typed decoding and patches. */
export function typeNameOf(r: ResourceInfo): string | undefined {
  return typeNameForKind(r.group, r.version, r.kind);
}

/**
 * Turns a decoded body into the object to store: checks apiVersion/kind, drops unknown fields per
 * fieldValidation, applies defaults, converts to the storage version.
 */
export function admitBody(r: ResourceInfo, store: ResourceStore, body: ObjectMap, validation: FieldValidation, warnings: string[]): ObjectMap {
  const expected = apiVersionOf(r);
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  const kind = typeof body.kind === 'string' ? body.kind : '';
  if (kind && kind !== r.kind) {
    throw ApiError.badRequest(
      `${kind} in version "${parseApiVersion(apiVersion || expected).version}" cannot be handled as a ${r.kind}: the object provided is unrecognized (must be of type ${r.kind})`,
    );
  }
  if (apiVersion && apiVersion !== expected) {
    const gv = parseApiVersion(apiVersion);
    if (gv.group !== r.group) {
      throw ApiError.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expected})`);
    }
    throw ApiError.badRequest(
      `${kind || r.kind} in version "${gv.version}" cannot be handled as a ${r.kind}: no kind "${kind || r.kind}" is registered for version "${apiVersion}"`,
    );
  }
  body.apiVersion = expected;
  body.kind = r.kind;
  const typeName = typeNameOf(r);
  if (r.custom) admitCustomResource(r.custom, body, validation, warnings);
  else if (typeName) {
    const { unknownFields } = typedDecode(body, typeName);
    reportUnknownFields(unknownFields, validation, warnings);
  }
  // As kube decodes: the client version's own defaults and conversion first, then the storage defaults.
  const stored = toStorageVersion(r, body);
  store.strategy.default(stored);
  return stored;
}

/** A namespaced object's own namespace, if it names one, must be the request's. */
export function checkNamespace(r: ResourceInfo, obj: ObjectMap, namespace: string): void {
  if (!r.namespaced) return;
  const meta = metaOf(obj);
  if (meta.namespace && meta.namespace !== namespace) {
    throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}
