// Label selectors: the `?labelSelector=` grammar kube-apiserver accepts (=, ==, !=, in, notin,
// exists, !key, >, <), the errors it gives for bad input, and matching against a labels map.
import { ApiError } from '../errors.js';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { labelKeyErrors, labelValueErrors } from './label-syntax.js';

export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated for set operators; one value for the exact and numeric ones. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/** A parsed selector: every requirement must hold. No requirements selects everything. */
export class LabelSelector {
  private constructor(
    readonly requirements: readonly LabelRequirement[],
    /** A nil metav1.LabelSelector selects nothing, unlike an empty one. */
    private readonly selectsNothing = false,
  ) {}

  static everything(): LabelSelector {
    return new LabelSelector([]);
  }
  static nothing(): LabelSelector {
    return new LabelSelector([], true);
  }
  /** Builds a selector from requirements already checked by `checkRequirement`. */
  static of(requirements: readonly LabelRequirement[]): LabelSelector {
    return new LabelSelector([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  isEverything(): boolean {
    return !this.selectsNothing && this.requirements.length === 0;
  }

  matches(labels: Labels | undefined): boolean {
    if (this.selectsNothing) return false;
    const set = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, set));
  }

  /** The canonical text form, as labels.Selector.String() prints it (used by table cells). */
  toString(): string {
    return this.requirements.map(requirementText).join(',');
  }
}

function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return value !== undefined && r.values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0]!);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

function requirementText(r: LabelRequirement): string {
  const values = r.values.join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

const int64Pattern = /^[+-]?[0-9]+$/;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): decimal with optional sign, within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!int64Pattern.test(s)) return undefined;
  const n = BigInt(s);
  return n < int64Min || n > int64Max ? undefined : n;
}

/**
 * Checks one requirement as labels.NewRequirement does. `path` is the field path errors are
 * reported under; the string parser has none, which kube prints as `<nil>`.
 */
export function checkRequirement(key: string, operator: LabelOperator, values: readonly string[], path?: string): FieldError[] {
  const errors: FieldError[] = [];
  const at = (child: string): string => (path ? `${path}.${child}` : child);
  for (const message of labelKeyErrors(key)) errors.push({ type: 'FieldValueInvalid', field: at('key'), badValue: key, detail: message });
  const valuesPath = at('values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0)
        errors.push({ type: 'FieldValueInvalid', field: valuesPath, badValue: values, detail: "for 'in', 'notin' operators, values set can't be empty" });
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1)
        errors.push({ type: 'FieldValueInvalid', field: valuesPath, badValue: values, detail: 'exact-match compatibility requires one single value' });
      break;
    case 'exists':
    case '!':
      if (values.length !== 0)
        errors.push({ type: 'FieldValueInvalid', field: valuesPath, badValue: values, detail: 'values set must be empty for exists and does not exist' });
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1)
        errors.push({ type: 'FieldValueInvalid', field: valuesPath, badValue: values, detail: "for 'Gt', 'Lt' operators, exactly one value is required" });
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined)
          errors.push({
            type: 'FieldValueInvalid',
            field: `${valuesPath}[${i}]`,
            badValue: v,
            detail: "for 'Gt', 'Lt' operators, the value must be an integer",
          });
      });
      break;
  }
  values.forEach((v, i) => {
    const messages = labelValueErrors(v);
    if (messages.length) errors.push({ type: 'FieldValueInvalid', field: `${valuesPath}[${i}][${key}]`, badValue: v, detail: messages.join('; ') });
  });
  return errors;
}

/** Joins errors the way an apimachinery aggregate prints: one alone, several as `[a, b]`. */
function aggregateMessage(errors: readonly FieldError[]): string {
  const messages = [...new Set(errors.map((e) => fieldErrorMessage(e)))];
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

/**
 * Parses `?labelSelector=` text. Bad syntax throws the 400 BadRequest kube-apiserver answers,
 * with the same wording (`unable to parse requirement: ...`, `found 'x', expected: ...`).
 */
export function parseLabelSelector(text: string): LabelSelector {
  const result = new SelectorParser(text).parse();
  if (typeof result === 'string') throw ApiError.badRequest(result);
  return LabelSelector.of(result);
}

type TokenKind =
  'error' | 'end' | 'closePar' | 'comma' | 'not' | 'doubleEquals' | 'equals' | 'greater' | 'identifier' | 'in' | 'less' | 'notEquals' | 'notin' | 'openPar';

interface Token {
  kind: TokenKind;
  text: string;
}

const literalTokens: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'not'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greater'],
  ['in', 'in'],
  ['<', 'less'],
  ['!=', 'notEquals'],
  ['notin', 'notin'],
  ['(', 'openPar'],
]);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSymbol = (c: string): boolean => '=!(),><'.includes(c) && c !== '';

/** Splits selector text into tokens with the same boundaries kube's lexer draws. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isSpace(text[pos]!)) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', text: '' });
      return tokens;
    }
    if (isSymbol(text[pos]!)) {
      // Take the longest run of symbol characters that still spells an operator.
      let buffer = '';
      let best: Token | undefined;
      while (pos < text.length && isSymbol(text[pos]!)) {
        buffer += text[pos];
        const kind = literalTokens.get(buffer);
        if (kind) {
          best = { kind, text: buffer };
        } else if (best) {
          break;
        }
        pos++;
      }
      tokens.push(best ?? { kind: 'error', text: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let word = '';
    while (pos < text.length && !isSymbol(text[pos]!) && !isSpace(text[pos]!)) word += text[pos++];
    const kind = literalTokens.get(word);
    tokens.push({ kind: kind ?? 'identifier', text: word });
  }
}

const binaryOperatorList = 'in, notin, =, ==, !=, gt, lt';

class SelectorParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  /** `in` and `notin` are plain words where a value is expected (`x in (in)`). */
  private look(asValue: boolean): Token {
    return this.asValue(this.tokens[this.position]!, asValue);
  }
  private take(asValue: boolean): Token {
    return this.asValue(this.tokens[this.position++]!, asValue);
  }
  private asValue(token: Token, asValue: boolean): Token {
    return asValue && (token.kind === 'in' || token.kind === 'notin') ? { kind: 'identifier', text: token.text } : token;
  }

  parse(): LabelRequirement[] | string {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.look(true);
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'identifier' && next.kind !== 'not') return `found '${next.text}', expected: !, identifier, or 'end of string'`;
      const requirement = this.requirement();
      if (typeof requirement === 'string') return `unable to parse requirement: ${requirement}`;
      requirements.push(requirement);
      const after = this.take(true);
      if (after.kind === 'end') return requirements;
      if (after.kind !== 'comma') return `found '${after.text}', expected: ',' or 'end of string'`;
      const following = this.look(true);
      if (following.kind !== 'identifier' && following.kind !== 'not') return `found '${following.text}', expected: identifier after ','`;
    }
  }

  private requirement(): LabelRequirement | string {
    let token = this.take(true);
    let negated = false;
    if (token.kind === 'not') {
      negated = true;
      token = this.take(true);
    }
    if (token.kind !== 'identifier') return `found '${token.text}', expected: identifier`;
    const key = token.text;
    const keyProblems = labelKeyErrors(key);
    if (keyProblems.length) return fieldErrorMessage({ type: 'FieldValueInvalid', field: '<nil>', badValue: key, detail: keyProblems.join('; ') });
    const next = this.look(true).kind;
    if (negated || next === 'end' || next === 'comma') {
      // A lone key is `exists`; `!key` is always unary, and whatever follows it is judged by the caller.
      return this.checked(key, negated ? '!' : 'exists', []);
    }
    const opToken = this.take(false);
    const operator = operatorOf(opToken.kind);
    if (!operator) return `found '${opToken.text}', expected: ${binaryOperatorList}`;
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    if (typeof values === 'string') return values;
    return this.checked(key, operator, values);
  }

  private checked(key: string, operator: LabelOperator, values: string[]): LabelRequirement | string {
    const errors = checkRequirement(key, operator, values);
    if (errors.length) return aggregateMessage(errors);
    return { key, operator, values };
  }

  private valueSet(): string[] | string {
    const open = this.take(true);
    if (open.kind !== 'openPar') return `found '${open.text}' expected: '('`;
    const first = this.look(true);
    if (first.kind === 'closePar') {
      this.take(true);
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== 'comma') return `found '${first.text}', expected: ',', ')' or identifier`;
    const values = new Set<string>();
    for (;;) {
      const token = this.take(true);
      if (token.kind === 'identifier') {
        values.add(token.text);
        const after = this.look(true);
        if (after.kind === 'comma') continue;
        if (after.kind === 'closePar') break;
        return `found '${after.text}', expected: ',' or ')'`;
      } else if (token.kind === 'comma') {
        // Commas with nothing between them stand for empty values: `(,a)`, `(a,,b)`, `(a,)`.
        if (values.size === 0) values.add('');
        const after = this.look(true);
        if (after.kind === 'closePar') {
          values.add('');
          break;
        }
        if (after.kind === 'comma') values.add('');
      } else {
        return `found '${token.text}', expected: ',', or identifier`;
      }
    }
    const close = this.take(true);
    if (close.kind !== 'closePar') return `found '${first.text}', expected: ')'`;
    return [...values].sort();
  }

  private exactValue(): string[] | string {
    const next = this.look(true);
    if (next.kind === 'end' || next.kind === 'comma') return [''];
    const token = this.take(true);
    if (token.kind === 'identifier') return [token.text];
    return `found '${token.text}', expected: identifier`;
  }
}

function operatorOf(kind: TokenKind): LabelOperator | undefined {
  switch (kind) {
    case 'in':
      return 'in';
    case 'notin':
      return 'notin';
    case 'equals':
      return '=';
    case 'doubleEquals':
      return '==';
    case 'notEquals':
      return '!=';
    case 'greater':
      return 'gt';
    case 'less':
      return 'lt';
    default:
      return undefined;
  }
}
