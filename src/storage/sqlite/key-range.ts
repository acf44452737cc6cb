// Turns a key prefix into a [low, high) range so SQLite can answer prefix queries from its
// index: `LIKE 'prefix%'` cannot use the index and would also treat `_` and `%` as wildcards.

/**
 * The smallest string above every string that starts with `prefix`, in the code-point order
 * SQLite's BINARY collation uses for UTF-8 text. The empty prefix (all keys) gets U+10FFFF,
 * the highest code point, which no stored key starts with.
 */
export function prefixUpperBound(prefix: string): string {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()?.codePointAt(0) ?? 0;
    if (last < 0x10ffff) {
      // Surrogate code points never appear in valid UTF-8, so the next one after D7FF is E000.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return codePoints.join('') + String.fromCodePoint(next);
    }
  }
  return '\u{10FFFF}';
}

/** The smallest string strictly greater than `key`. */
export function keyAfter(key: string): string {
  return `${key}\u0000`;
}
