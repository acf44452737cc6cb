// Go's JSON text for times: metav1.Time (RFC 3339, whole seconds, UTC) and MicroTime (six
// fractional digits), converted to and from the seconds/nanoseconds protobuf carries. Durations
// are src/time's.

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
