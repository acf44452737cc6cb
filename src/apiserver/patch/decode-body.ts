// Decoding of PATCH request bodies. Bodies arrive as text or bytes (or already decoded); syntax
// and type errors are worded as Go's encoding/json words them, because kube-apiserver passes
// those messages straight into its 400 answers. Nesting is bounded before JSON.parse runs.
import { checkJsonNesting, goJsonWord } from '../../api/index.js';
import { errorMessage } from '../../lang/index.js';

export type DecodedBody = { ok: true; value: unknown } | { ok: false; message: string };

/** Decodes a body given as a string or bytes; any other value is taken as already decoded JSON. */
export function decodeBody(body: unknown): DecodedBody {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = new TextDecoder().decode(body);
  else return { ok: true, value: body === undefined ? null : body };
  try {
    checkJsonNesting(text);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: goSyntaxMessage(text, errorMessage(err)) };
  }
}

export function cannotUnmarshal(value: unknown, goType: string): string {
  return `json: cannot unmarshal ${goJsonWord(value)} into Go value of type ${goType}`;
}

/** Approximates Go's scanner messages from V8's; the offending character is what clients look at. */
function goSyntaxMessage(text: string, v8Message: string): string {
  if (text.trim() === '' || /end of JSON input/i.test(v8Message)) return 'unexpected end of JSON input';
  const reported = /at position (\d+)/.exec(v8Message);
  const token = /Unexpected token '?(.)/.exec(v8Message)?.[1];
  const at = reported ? Number(reported[1]) : token !== undefined ? text.indexOf(token) : -1;
  const char = at >= 0 ? text[at] : undefined;
  if (char === undefined) return 'unexpected end of JSON input';
  const quoted = char === "'" ? "'\\''" : char === '"' ? `'"'` : `'${JSON.stringify(char).slice(1, -1)}'`;
  const literal = literalInProgress(text.slice(0, at));
  if (literal) return `invalid character ${quoted} in literal ${literal.word} (expecting '${literal.next}')`;
  if (/after JSON/.test(v8Message)) return `invalid character ${quoted} after top-level value`;
  if (/after property name/.test(v8Message)) return `invalid character ${quoted} after object key`;
  if (/property name/.test(v8Message)) return `invalid character ${quoted} looking for beginning of object key string`;
  if (/after (array element|property value)/.test(v8Message)) {
    return `invalid character ${quoted} after ${/array/.test(v8Message) ? 'array element' : 'object key:value pair'}`;
  }
  return `invalid character ${quoted} looking for beginning of value`;
}

/** A true/false/null literal cut short right before the bad character, as Go reports it. */
function literalInProgress(before: string): { word: string; next: string } | undefined {
  const partial = /(?:^|[^A-Za-z0-9_])([tfn][a-z]*)$/.exec(before)?.[1];
  if (!partial) return undefined;
  const word = ['true', 'false', 'null'].find((w) => w.startsWith(partial) && w.length > partial.length);
  return word ? { word, next: word[partial.length]! } : undefined;
}
