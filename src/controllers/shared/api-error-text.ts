// The server's own words for a failed request, as kube controllers quote them in events and
// conditions ("Error creating: pods \"web-\" is forbidden: exceeded quota ...").
import { ApiResponseError } from '../../client/index.js';
import { errorMessage } from '../../lang/index.js';

/** The Status message of an API error, without the client's method, path and code prefix. */
export function apiErrorText(err: unknown): string {
  if (err instanceof ApiResponseError) return err.message.replace(/^[A-Z]+ \S+: \d+ /, '');
  return errorMessage(err);
}

/** A create refused because its namespace is being deleted: expected, never worth an event. */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiResponseError && err.status === 403 && /because it is being terminated/.test(err.message);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiResponseError && err.status === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiResponseError && err.status === 409;
}
