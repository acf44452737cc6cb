// Field selectors: the `?fieldSelector=` grammar (a=b, a==b, a!=b joined by commas, with `\`
// escapes) and the per-resource check of which fields kube-apiserver lets clients select on.
import { ApiError } from '../errors.js';
import { selectableFieldsFor, type SelectableFieldOptions } from './selectable-fields.js';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A parsed, resource-checked field selector; no requirements selects everything. */
export class FieldSelector {
  constructor(
    readonly requirements: readonly FieldRequirement[],
    private readonly valueOf: (object: Readonly<Record<string, unknown>>, field: string) => string,
  ) {}

  isEverything(): boolean {
    return this.requirements.length === 0;
  }

  /** A field the object lacks reads as '', as kube's fields.Set lookup does. */
  matches(object: Readonly<Record<string, unknown>>): boolean {
    return this.requirements.every((r) => (this.valueOf(object, r.field) === r.value) === (r.operator === '='));
  }

  /** Matches against precomputed field values (see SelectableFields.fieldSet); a missing field reads as ''. */
  matchesFieldSet(fields: Readonly<Record<string, string>>): boolean {
    return this.requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '='));
  }

  /** The value an `=` requirement pins a field to, for callers that can index on it. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Parses `?fieldSelector=` text for one resource (`group` '' is core). Bad syntax and fields the
 * resource does not support throw kube-apiserver's 400 BadRequest with its wording.
 */
export function parseFieldSelector(text: string, group: string, resource: string, options: SelectableFieldOptions = {}): FieldSelector {
  const parsed: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw ApiError.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    parsed.push({ field: split.field, operator: split.operator, value: unescapeValue(split.value) });
  }
  const fields = selectableFieldsFor(group, resource, options);
  const requirements: FieldRequirement[] = [];
  for (const r of parsed) {
    const field = fields.convert(r.field);
    if (typeof field !== 'string') throw ApiError.badRequest(field.error);
    // A term whose field converts to nothing drops out, as fields.Selector.Transform does.
    if (field !== '') requirements.push({ ...r, field });
  }
  return new FieldSelector(requirements, (object, field) => fields.valueOf(object, field));
}

/** Splits on commas that are not escaped; the escape itself stays for unescapeValue. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The first operator found left to right wins, trying `!=` and `==` before `=` at each spot. */
function splitTerm(term: string): { field: string; operator: '=' | '!='; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const rest = term.slice(i);
    if (rest.startsWith('!=')) return { field: term.slice(0, i), operator: '!=', value: term.slice(i + 2) };
    if (rest.startsWith('==')) return { field: term.slice(0, i), operator: '=', value: term.slice(i + 2) };
    if (rest.startsWith('=')) return { field: term.slice(0, i), operator: '=', value: term.slice(i + 1) };
  }
  return undefined;
}

function unescapeValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw ApiError.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, which is its code point.
      throw ApiError.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw ApiError.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}
