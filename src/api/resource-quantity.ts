// Exact resource quantities for quota and limit arithmetic: values held as integer nano-units
// (bigint) so sums never drift, printed in kube's canonical form ("1500m", "2", "1536Mi", "2k"),
// which is how kube-apiserver's quota and LimitRange messages and quota status show them.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10⁻⁹. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const nano = 1_000_000_000n;
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));

/** Go's ParseQuantity errors, worded as resource.ErrFormatWrong, ErrSuffix and ErrNumeric. */
export const QUANTITY_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_WRONG = "unable to parse quantity's suffix";
export const QUANTITY_NUMERIC_WRONG = 'unable to parse numeric part of quantity';

/**
 * Exponents kube would take but whose exact value would cost megabytes of bigint arithmetic here.
 * kube accepts any int32 exponent; Skiff refuses values of 10^992 or more (beyond 10^1000 nano-units)
 * as not numeric. Tiny values cost nothing: they round up to one nano-unit, as kube rounds them.
 */
const MAX_DECIMAL_EXPONENT = 1000;

interface QuantityParts {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
  readonly suffix: string;
}

// Go's scanner: sign, digits, optional "." and digits, then suffix letters, an optional sign and digits.
const quantityShape = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

function splitQuantity(text: string): QuantityParts | string {
  if (text.length === 0) return QUANTITY_FORMAT_WRONG;
  const m = quantityShape.exec(text);
  if (!m) return QUANTITY_FORMAT_WRONG;
  const suffix = m[4] ?? '';
  if (!(suffix in decimalSuffixes) && !binarySuffixes.includes(suffix)) {
    // Only an exponent is left; Go reads it as an int32.
    const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!e || Math.abs(Number(e[1])) > 2147483647) return QUANTITY_SUFFIX_WRONG;
  }
  return { negative: m[1] === '-', whole: m[2] ?? '', fraction: m[3] ?? '', suffix };
}

/** Why Go's resource.ParseQuantity would refuse the text (already trimmed), or undefined when it parses. */
export function quantityParseError(text: string): string | undefined {
  const parts = splitQuantity(text);
  if (typeof parts === 'string') return parts;
  return toQuantity(parts) ? undefined : QUANTITY_NUMERIC_WRONG;
}

/** Parses a quantity string or JSON number; undefined when it is not one. Finer than nano rounds up, as kube does. */
export function parseQuantity(raw: unknown): Quantity | undefined {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return undefined;
    raw = String(raw);
  }
  if (typeof raw !== 'string') return undefined;
  const parts = splitQuantity(raw.trim());
  return typeof parts === 'string' ? undefined : toQuantity(parts);
}

function toQuantity({ negative, whole, fraction, suffix }: QuantityParts): Quantity | undefined {
  const binaryIndex = binarySuffixes.indexOf(suffix);
  const binary = suffix !== '' && binaryIndex > 0;
  const exponentForm = /^[eE]/.test(suffix) && !(suffix in decimalSuffixes);
  const format: QuantityFormat = binary ? 'BinarySI' : exponentForm ? 'DecimalExponent' : 'DecimalSI';
  const suffixExp10 = binary ? 0 : exponentForm ? Number(suffix.slice(1)) : (decimalSuffixes[suffix] ?? 0);
  // Bound the work before any bigint is built: text is as long as a body allows.
  const significant = whole.replace(/^0+/, '');
  if (binary && significant.length > 40) return { nanos: negative ? -maxBinaryNanos : maxBinaryNanos, format };
  if (significant.length > 0 && significant.length - 1 + suffixExp10 + 9 > MAX_DECIMAL_EXPONENT) return undefined;
  // Fraction digits far below a nano only decide whether to round up: keep a sticky digit for them.
  const keep = Math.max(0, suffixExp10 + 9) + 20;
  if (fraction.length > keep) fraction = fraction.slice(0, keep) + (/[1-9]/.test(fraction.slice(keep)) ? '1' : '');
  // digits × 10^-fraction.length × the suffix, in units of 10⁻⁹, rounding up what falls below a nano.
  const digits = BigInt((significant || '0') + fraction) * (binary ? 1n << BigInt(10 * binaryIndex) : 1n);
  if (digits === 0n) return { nanos: 0n, format };
  const shift = suffixExp10 - fraction.length + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
  else if (-shift > digits.toString().length) nanos = 1n;
  else {
    const div = 10n ** BigInt(-shift);
    nanos = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  // BinarySI values are capped at the largest int64, as ParseQuantity does.
  if (binary && nanos > maxBinaryNanos) nanos = maxBinaryNanos;
  return { nanos: negative ? -nanos : nanos, format };
}

const maxBinaryNanos = (2n ** 63n - 1n) * nano;

/**
 * The value of a quantity as a number, for comparisons in validation (requests ≤ limits,
 * non-negative values) and the scheduler's sums; undefined when it is not a quantity.
 */
export function quantityValue(raw: unknown): number | undefined {
  const q = parseQuantity(raw);
  return q === undefined ? undefined : Number(q.nanos) / 1e9;
}

/** A quantity as it appears in messages (kube prints the canonical form; we print what was sent). */
export function quantityText(q: unknown): string {
  return typeof q === 'string' || typeof q === 'number' ? String(q) : JSON.stringify(q);
}

export function quantityOf(raw: unknown): Quantity {
  return parseQuantity(raw) ?? zeroQuantity;
}

export const zeroQuantity: Quantity = { nanos: 0n, format: 'DecimalSI' };

export function fromInteger(n: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(Math.round(n)) * nano, format };
}

export function fromMilli(milli: number): Quantity {
  return { nanos: BigInt(Math.round(milli)) * 1_000_000n, format: 'DecimalSI' };
}

/** a + b, in a's format unless a is zero (as Quantity.Add). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function subtractQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function compareQuantity(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** The value in thousandths, rounded up (kube's MilliValue). */
export function milliValue(q: Quantity): number {
  const div = 1_000_000n;
  const whole = q.nanos / div;
  return Number(q.nanos % div > 0n ? whole + 1n : whole);
}

/** The value rounded up to an integer (kube's Value). */
export function integerValue(q: Quantity): number {
  const whole = q.nanos / nano;
  return Number(q.nanos % nano > 0n ? whole + 1n : whole);
}

export function quantityToNumber(q: Quantity): number {
  return Number(q.nanos) / 1e9;
}

/** kube's canonical string: the largest unit that keeps the mantissa whole. */
export function formatQuantity(q: Quantity): string {
  const negative = q.nanos < 0n;
  const abs = negative ? -q.nanos : q.nanos;
  const sign = negative ? '-' : '';
  if (abs === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Small or fractional values are not written in binary units.
    if (abs < 1024n * nano || abs % nano !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let value = abs / nano;
    let i = 0;
    while (i < binarySuffixes.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      i++;
    }
    return `${sign}${value}${binarySuffixes[i]}`;
  }
  // Decimal: mantissa × 10^exp with exp a multiple of 3 from -9 up, as large as keeps it whole.
  let mantissa = abs;
  let exp = -9;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return exp === 0 ? `${sign}${mantissa}` : `${sign}${mantissa}e${exp}`;
  return `${sign}${mantissa}${decimalByExponent.get(exp) ?? ''}`;
}

/** Re-prints a raw quantity canonically; text that is not a quantity comes back as it was. */
export function canonicalQuantity(raw: unknown): string {
  const q = parseQuantity(raw);
  return q ? formatQuantity(q) : typeof raw === 'string' ? raw : JSON.stringify(raw);
}

/** A resource list (name → quantity) as kube prints it in quota messages: `a=1,b=2Gi`, sorted by name. */
export function formatResourceList(list: ReadonlyMap<string, Quantity>): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${formatQuantity(list.get(k)!)}`)
    .join(',');
}

/** Parses a JSON resource list; entries that are not quantities are skipped. */
export function resourceListOf(raw: unknown): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const q = parseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** A resource list back to JSON, canonical strings sorted by name. */
export function resourceListToJson(list: ReadonlyMap<string, Quantity>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...list.keys()].sort()) out[k] = formatQuantity(list.get(k)!);
  return out;
}
