// Whether two objects are equal as the server would store them: what controllers ask before writing
// a status, so they never chase their own writes.

/** Go's omitempty drops zero values on the wire, so 0, '', {} and [] equal an absent field. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === 0 || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[k]);
      if (!isEmpty(v)) out[k] = v;
    }
    return out;
  }
  return value;
}

/**
 * Equal as the server would store them, whatever the key order and however zero values are
 * spelled: a status is rewritten only when it really changed, or controllers would chase their
 * own writes forever.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
