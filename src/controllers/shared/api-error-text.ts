// The server's own words for a failed request, as kube controllers quote them in events and
// conditions ("Error creating: pods \"web-\" is forbidden: exceeded quota ...").
import { ApiResponseError } from '../../client/index.js';

/** The Status message of an API error, without the client's method, path and code prefix. */
export function apiErrorText(err: unknown): string {
  if (err instanceof ApiResponseError) return err.message.replace(/^[A-Z]+ \S+: \d+ /, '');
  return err instanceof Error ? err.message : String(err);
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

/** Anything thrown, as an Error (rejections may carry other values). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
