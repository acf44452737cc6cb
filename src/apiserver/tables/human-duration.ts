// Ages as kube-apiserver prints them in Table cells (duration.HumanDuration): about two
// significant figures, `<invalid>` for times well in the future, `<unknown>` for unset stamps.

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** Formats a duration in milliseconds the way HumanDuration does, truncating each unit. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  // Up to a second in the future is clock skew and reads as now.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Parses an RFC 3339 stamp; missing, empty or Go's zero time count as unset. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() <= 1) return undefined;
  return date;
}

/** The age of a timestamp at `now`, or `<unknown>` when it is unset. */
export function ageSince(value: unknown, now: Date): string {
  const date = parseTimestamp(value);
  return date ? humanDuration(now.getTime() - date.getTime()) : '<unknown>';
}
