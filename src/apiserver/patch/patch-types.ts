// The PATCH media types and the list kube-apiserver advertises in its 415 answers: built-in kinds
// take all four, custom resources (no strategic merge facts) everything but strategic merge.
import { patchErrors } from './patch-errors.js';
import type { ApiError } from '../../api/index.js';

export const PatchType = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategicMerge: 'application/strategic-merge-patch+json',
  applyYaml: 'application/apply-patch+yaml',
} as const;

/** The media types a PATCH route accepts, in kube-apiserver's order. */
export function acceptedPatchTypes(strategicMerge: boolean): string[] {
  return strategicMerge
    ? [PatchType.json, PatchType.merge, PatchType.strategicMerge, PatchType.applyYaml]
    : [PatchType.json, PatchType.merge, PatchType.applyYaml];
}

/** The 415 kube-apiserver gives a strategic merge patch on a type without patch facts (custom resources). */
export function strategicMergePatchUnsupported(): ApiError {
  return patchErrors.unsupportedMediaType(acceptedPatchTypes(false));
}
