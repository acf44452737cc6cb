// PATCH bodies: JSON patch, JSON merge patch and strategic merge patch, applied to an object as
// kube-apiserver applies them, with its answers for unknown media types and malformed bodies.
// Server-side apply (application/apply-patch+yaml) lives in ../apply, reached from the PATCH handler.
// Results are held to the limits of bodies: no deeper than a body may nest, no larger than 3 MiB.
import { checkDecodedValue, DecodeLimitError, maxNestingDepth, ApiError } from '../../api/index.js';
import { decodeBody } from './decode-body.js';
import { applyJsonPatch, type FieldValidation } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { patchErrors } from './patch-errors.js';
import type { LookupType } from './patch-meta.js';
import { acceptedPatchTypes, PatchType, strategicMergePatchUnsupported } from './patch-types.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

export { applyJsonPatch, MAX_JSON_PATCH_COPY_BYTES, MAX_JSON_PATCH_ELEMENT_SHIFTS, MAX_JSON_PATCH_OPERATIONS, type FieldValidation } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { strategicMergePatch } from './strategic-merge-patch.js';
export { acceptedPatchTypes, PatchType, strategicMergePatchUnsupported } from './patch-types.js';
export type { LookupType } from './patch-meta.js';

export interface ApplyPatchOptions {
  /** The request's `fieldValidation` (kube-apiserver's default is Warn); it changes some 400 messages. */
  fieldValidation?: FieldValidation;
}

/**
 * Applies a PATCH body to `original` by its Content-Type and returns the patched object.
 * `patchBody` is the raw body (string or bytes) or an already decoded value. `typeName` is the
 * API type's definition name (e.g. io.k8s.api.core.v1.Pod), or undefined for custom resources,
 * which get no strategic merge patch. Throws ApiError: 415 for unsupported media types, 400 for
 * malformed bodies, 422/500/413 as kube-apiserver answers failed patches, 413 for a result larger
 * than a body may be and 422 for one nested deeper.
 */
export function applyPatch(
  contentType: string,
  original: unknown,
  patchBody: unknown,
  typeName: string | undefined,
  lookupType: LookupType,
  options: ApplyPatchOptions = {},
): unknown {
  let result: unknown;
  try {
    result = applyPatchByType(contentType, original, patchBody, typeName, lookupType, options);
  } catch (err) {
    // Copies and moves can nest a document past what recursive code (structuredClone among it) manages.
    if (err instanceof RangeError) throw patchResultInvalid(/call stack/i.test(err.message) ? `exceeded max depth of ${maxNestingDepth}` : err.message);
    throw err;
  }
  checkPatchResult(result);
  return result;
}

/** kube-apiserver checks a patch result when it decodes it into the typed object: Invalid, field `patch`. */
function patchResultInvalid(detail: string): ApiError {
  return ApiError.invalid({ group: '', kind: '' }, '', [{ type: 'FieldValueInvalid', field: 'patch', detail }]);
}

/** Holds a patch or apply result to the limits of a body: 413 when larger, 422 when nested deeper. */
export function checkPatchResult(result: unknown): void {
  try {
    checkDecodedValue(result);
  } catch (err) {
    if (!(err instanceof DecodeLimitError)) throw err;
    if (err.limit === 'size') throw ApiError.tooLarge();
    throw patchResultInvalid(err.message);
  }
}

function applyPatchByType(
  contentType: string,
  original: unknown,
  patchBody: unknown,
  typeName: string | undefined,
  lookupType: LookupType,
  options: ApplyPatchOptions,
): unknown {
  const fieldValidation = options.fieldValidation ?? 'Warn';
  const strict = fieldValidation !== 'Ignore';
  const hasFacts = typeName !== undefined && lookupType(typeName) !== undefined;
  const patchType = mediaType(contentType);
  if (!acceptedPatchTypes(hasFacts).includes(patchType)) throw patchErrors.unsupportedMediaType(acceptedPatchTypes(hasFacts));

  const decoded = decodeBody(patchBody);
  switch (patchType) {
    case PatchType.json:
      if (!decoded.ok) throw patchErrors.badRequest(strict ? `error decoding patch: ${decoded.message}` : decoded.message);
      return applyJsonPatch(original, decoded.value, fieldValidation);
    case PatchType.merge:
      if (!decoded.ok) throw patchErrors.badRequest(strict ? `error decoding patch: ${decoded.message}` : 'Invalid JSON Patch');
      return applyMergePatch(original, decoded.value, fieldValidation);
    case PatchType.strategicMerge:
      if (!hasFacts || typeName === undefined) throw strategicMergePatchUnsupported();
      if (!decoded.ok) throw patchErrors.badRequest(decoded.message);
      return strategicMergePatch(original, decoded.value, typeName, lookupType);
    default:
      // Server-side apply needs field management; the PATCH handler routes it elsewhere.
      throw patchErrors.bareError(`${patchType}: unimplemented patch type`);
  }
}

/** kube-apiserver drops parameters after the first `;` and otherwise matches the type exactly. */
function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return semicolon > 0 ? contentType.slice(0, semicolon) : contentType;
}
