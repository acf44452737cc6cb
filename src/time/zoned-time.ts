// Wall-clock arithmetic in an IANA time zone with Intl, mirroring Go's time package as the cron
// library kube uses relies on it: reading an instant's fields in a zone, and building an instant
// from wall fields the way time.Date does (a skipped wall time lands after the gap, an ambiguous
// one on its first occurrence).

export interface WallTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a RangeError for a zone Intl does not know. */
function checkTimeZone(zone: string): void {
  formatter(zone);
}

export class Zone {
  private readonly utc: boolean;

  constructor(readonly name: string) {
    this.utc = name === 'UTC' || name === 'Etc/UTC';
    checkTimeZone(name);
  }

  /** The instant's wall-clock fields in this zone. */
  wall(ms: number): WallTime {
    const d = new Date(Math.floor(ms / 1000) * 1000);
    if (this.utc) return fieldsOf(d);
    const parts: Record<string, number> = {};
    for (const p of formatter(this.name).formatToParts(d)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const year = parts['year'] ?? 1970;
    const month = parts['month'] ?? 1;
    const day = parts['day'] ?? 1;
    return {
      year,
      month,
      day,
      hour: parts['hour'] ?? 0,
      minute: parts['minute'] ?? 0,
      second: parts['second'] ?? 0,
      weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    };
  }

  /** Offset from UTC in ms at the instant (east positive). */
  offsetAt(ms: number): number {
    if (this.utc) return 0;
    const w = this.wall(ms);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
  }

  /** time.Date: the instant of the wall fields (overflowing fields normalise, as in Go). */
  fromWall(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    if (this.utc) return asUtc;
    let offset = this.offsetAt(asUtc);
    const candidate = asUtc - offset;
    const actual = this.offsetAt(candidate);
    if (actual !== offset) offset = actual;
    return asUtc - offset;
  }

  /** RFC 3339 with the zone's offset, as Go formats time.RFC3339 (`Z` for UTC). */
  rfc3339(ms: number): string {
    const w = this.wall(ms);
    const off = this.offsetAt(ms) / 60_000;
    const pad = (n: number, l = 2) => String(n).padStart(l, '0');
    const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
  }
}

function fieldsOf(d: Date): WallTime {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}
