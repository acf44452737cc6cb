// JSON merge patch (RFC 7386, application/merge-patch+json) as evanphx/json-patch v4's MergePatch
// does it for kube-apiserver: null deletes, objects merge recursively, anything else replaces, and
// nulls inside newly set values are dropped from objects (but kept as array elements).
import { cannotUnmarshal } from './decode-body.js';
import type { FieldValidation } from './json-patch.js';
import { patchErrors } from './patch-errors.js';
import { cloneJson, hasKey, setKey, type JsonObject } from './json-value.js';
import { isRecord } from '../../lang/index.js';

/** Applies a decoded merge patch to `original` (not modified) and returns the result. */
export function applyMergePatch(original: unknown, patch: unknown, fieldValidation: FieldValidation = 'Warn'): unknown {
  if (fieldValidation !== 'Ignore' && patch !== null && !isRecord(patch)) {
    // kube-apiserver first decodes the patch strictly into a map, which refuses anything else.
    throw patchErrors.badRequest(`error decoding patch: ${cannotUnmarshal(patch, 'map[string]interface {}')}`);
  }
  if (patch === null) throw patchErrors.badRequest('Invalid JSON Patch');
  if (Array.isArray(patch)) {
    // Not an object: the document is replaced by the list as it is.
    return pruneNulls(cloneJson(patch));
  }
  if (!isRecord(patch)) throw patchErrors.badRequest('Invalid JSON Patch');
  if (!isRecord(original)) return pruneNulls(cloneJson(patch));
  const doc = cloneJson(original);
  mergeObjects(doc, cloneJson(patch));
  return doc;
}

function mergeObjects(doc: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = hasKey(doc, key) ? doc[key] : null;
    if (!isRecord(current)) {
      // Missing, null or not an object: the new value is set without its null members.
      setKey(doc, key, pruneNulls(value));
    } else if (isRecord(value)) {
      mergeObjects(current, value);
    } else {
      // An object replaced by a non-object keeps the new value untouched, nulls and all.
      setKey(doc, key, value);
    }
  }
}

/** Drops null members from objects at any depth; nulls as array elements stay. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) pruneNulls(item);
  } else if (isRecord(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (member === null) delete value[key];
      else pruneNulls(member);
    }
  }
  return value;
}
