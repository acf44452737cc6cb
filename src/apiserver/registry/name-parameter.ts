// The one check every name and namespace passes before it names anything in storage: a name in a
// URL or a storage key must be a valid path segment (not `.` or `..`, no `/` or `%`), as
// kube-apiserver's registry key functions require.
import { ApiError, names } from '../../api/index.js';

/**
 * Throws kube's 400 for a name or namespace that is not a path segment, e.g.
 * `Name parameter invalid: "..": may not be '..'`. Empty values pass: they name no object.
 */
export function checkNameParameter(parameter: 'Name' | 'Namespace', value: string): void {
  if (value === '') return;
  const problems = names.isValidPathSegmentName(value);
  if (problems.length) throw ApiError.badRequest(`${parameter} parameter invalid: ${JSON.stringify(value)}: ${problems.join(';')}`);
}
