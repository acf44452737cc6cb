// Plain JSON values as decoded objects hold them: narrowing to a record, and structural equality.

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Structural equality of JSON values: key order does not matter and a key holding undefined is
 * the same as an absent one (JSON.stringify drops both); only own keys count, so `__proto__`
 * is a key like any other.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  const otherCount = Object.keys(b).filter((k) => b[k] !== undefined).length;
  return keys.length === otherCount && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}
