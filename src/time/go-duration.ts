// Go's time.Duration text, exactly as time.ParseDuration reads it and Duration.String() writes it:
// a signed sequence of decimal numbers with units (`300ms`, `-1.5h`, `2h45m`, `1µs`), so the
// durations users copy from kube and kwok (annotations, flags, @every, metav1.Duration) mean the
// same here. Callers that need more (no sign, a minimum) check the parsed value themselves.

const nanosPerUnit: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const maxInt64 = 2n ** 63n - 1n;

/** Nanoseconds of a Go duration string; throws with Go's message on anything Go refuses. */
export function parseGoDuration(text: string): bigint {
  const invalid = (): Error => new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    rest = rest.slice(number?.[0].length ?? 0);
    // The unit is everything up to the next number, as Go reads it.
    const unit = /^[^.0-9]*/.exec(rest)?.[0] ?? '';
    if (unit === '') throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
    const size = nanosPerUnit[unit];
    if (size === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    rest = rest.slice(unit.length);
    total += BigInt(whole || '0') * size;
    // Go drops fraction digits beyond what an int64 can scale; 18 digits cover every unit.
    if (fraction) total += (BigInt(fraction.padEnd(18, '0').slice(0, 18)) * size) / 10n ** 18n;
    // Go holds a Duration in an int64 of nanoseconds and refuses what overflows it.
    if (total > maxInt64 + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}

/** Nanoseconds of a Go duration string, or undefined where Go refuses it. */
export function tryParseGoDuration(text: string): bigint | undefined {
  try {
    return parseGoDuration(text);
  } catch {
    return undefined;
  }
}

/** Milliseconds (with a fraction below one) of a Go duration string; throws as parseGoDuration. */
export function parseGoDurationMs(text: string): number {
  return Number(parseGoDuration(text)) / 1e6;
}

/** Go's time.Duration.String(). */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const negative = nanos < 0n;
  let n = negative ? -nanos : nanos;
  let out: string;
  if (n < 1_000_000_000n) {
    // Sub-second values use the largest unit that keeps an integer part.
    const [unit, size] = n < 1_000n ? ['ns', 1n] : n < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = `${fraction(n, size)}${unit}`;
  } else {
    const hours = n / 3_600_000_000_000n;
    n -= hours * 3_600_000_000_000n;
    const minutes = n / 60_000_000_000n;
    n -= minutes * 60_000_000_000n;
    out = `${fraction(n, 1_000_000_000n)}s`;
    if (hours > 0n) out = `${hours}h${minutes}m${out}`;
    else if (minutes > 0n) out = `${minutes}m${out}`;
  }
  return negative ? `-${out}` : out;
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
