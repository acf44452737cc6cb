// Timestamps as the API writes them in conditions: RFC 3339 in UTC, whole seconds.
export function nowTimestamp(now = Date.now()): string {
  return new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
}
