// Go's JSON text for times and durations: metav1.Time (RFC 3339, whole seconds, UTC), MicroTime
// (six fractional digits) and time.Duration strings ("1h2m3.5s"), converted to and from the
// seconds/nanoseconds protobuf carries.

/** Formats Unix seconds (+ nanos) as Go's metav1.Time / MicroTime JSON does. */
export function formatGoTime(seconds: bigint, nanos: number, micro: boolean): string {
  const ms = Number(seconds) * 1000;
  const date = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime())) throw new RangeError(`time out of range: ${seconds}s`);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return micro ? `${base}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${base}Z`;
}

/** Parses RFC 3339 text into Unix seconds and nanos; undefined when the text is not RFC 3339. */
export function parseGoTime(text: string): { seconds: bigint; nanos: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  // time.Parse refuses fields out of range rather than carrying them over, as Date.UTC would.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  if (!z && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as they are.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  const utc = date.getTime();
  let seconds = BigInt(Math.floor(utc / 1000));
  if (!z) {
    const offset = (Number(oh) * 60 + Number(om)) * 60;
    seconds -= BigInt(sign === '-' ? -offset : offset);
  }
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const units: ReadonlyArray<readonly [string, bigint]> = [
  ['h', 3_600_000_000_000n],
  ['m', 60_000_000_000n],
  ['s', 1_000_000_000n],
  ['ms', 1_000_000n],
  ['us', 1_000n],
  ['µs', 1_000n],
  ['μs', 1_000n],
  ['ns', 1n],
];

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

/** Go's time.ParseDuration; undefined for text Go would reject. */
export function parseGoDuration(text: string): bigint | undefined {
  let rest = text;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?(h|ms|m|s|us|µs|μs|ns)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return undefined;
    const size = units.find(([u]) => u === m[3])![1];
    total += BigInt(m[1] || '0') * size;
    if (m[2]) total += (BigInt(m[2].padEnd(18, '0').slice(0, 18)) * size) / 10n ** 18n;
    rest = rest.slice(m[0].length);
  }
  // Go holds a Duration in an int64 of nanoseconds and refuses what overflows it.
  const nanos = sign * total;
  return BigInt.asIntN(64, nanos) === nanos ? nanos : undefined;
}
