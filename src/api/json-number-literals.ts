// The JSON text of numbers that JSON.parse turns into integers but Go's decoder would not put in
// an int field: `1.0`, `1e3`. Request bodies remember their text so typed decoding can refuse
// those literals where the Go type is an integer, as encoding/json does.

/** Number literals with a fraction or exponent whose value is an integer, by the object holding them. */
export type IntegralFloatLiterals = WeakMap<object, Map<string, string>>;

const sources = new WeakMap<object, string>();

/** Remembers the JSON text a decoded body came from (only objects parsed from JSON text have one). */
export function rememberJsonSource(body: object, text: string): void {
  sources.set(body, text);
}

// A number with a fraction or exponent standing as a value (after `:`, `[` or `,`, before `,`, `]`
// or `}`): cheap to look for, and absent from nearly every body, whose version strings sit in quotes.
const candidate = /[:[,]\s*-?\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)\s*[,\]}]/;
const numberAt = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

/**
 * Where the body's JSON text wrote an integer as `1.0` or `1e3`: a map from each object or array
 * in `body` to its keys (indexes as strings) holding such a literal, with the literal's text.
 * Undefined when the body has no remembered text or no such literal.
 */
export function integralFloatLiterals(body: object): IntegralFloatLiterals | undefined {
  const text = sources.get(body);
  if (text === undefined || !candidate.test(text)) return undefined;
  const found = new WeakMap<object, Map<string, string>>();
  let any = false;
  // The containers open at the scan position, each with the key or index being read.
  const stack: Array<{ container: unknown; key: string; index: number; isArray: boolean }> = [];
  let root: unknown = body;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const top = stack.at(-1);
      const container = top ? child(top) : root;
      stack.push({ container, key: '', index: 0, isArray: c === '[' });
      root = undefined;
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top?.isArray) top.index++;
      i++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      // A string followed by ':' is a key.
      let j = end;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (top && !top.isArray && text[j] === ':') top.key = JSON.parse(text.slice(i, end)) as string;
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      numberAt.lastIndex = i;
      const literal = numberAt.exec(text)?.[0] ?? c;
      const top = stack.at(-1);
      if (top && /[.eE]/.test(literal) && Number.isInteger(Number(literal)) && top.container !== null && typeof top.container === 'object') {
        const key = top.isArray ? String(top.index) : top.key;
        let keys = found.get(top.container);
        if (!keys) found.set(top.container, (keys = new Map<string, string>()));
        keys.set(key, literal);
        any = true;
      }
      i += literal.length;
    } else {
      i++;
    }
  }
  return any ? found : undefined;
}

/** The value a frame's current key or index holds in the parsed body. */
function child(frame: { container: unknown; key: string; index: number; isArray: boolean }): unknown {
  const c = frame.container;
  if (c === null || typeof c !== 'object') return undefined;
  return frame.isArray ? (c as unknown[])[frame.index] : (c as Record<string, unknown>)[frame.key];
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}
