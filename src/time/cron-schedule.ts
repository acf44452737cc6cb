// CronJob schedules as kube reads them (robfig/cron's standard parser): five fields with lists,
// ranges, steps and month/day names, the @yearly..@hourly descriptors and @every <duration>, and
// the next activation after an instant in a time zone, with the same behaviour across DST changes
// (a time in a skipped hour does not fire that day; one in a repeated hour fires twice). The
// CronJob strategy validates with it and the CronJob controller schedules with it.
import { parseGoDurationMs } from './go-duration.js';
import { Zone } from './zoned-time.js';

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const monthNames = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const dayNames = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const minuteBounds: Bounds = { min: 0, max: 59 };
const hourBounds: Bounds = { min: 0, max: 23 };
const domBounds: Bounds = { min: 1, max: 31 };
const monthBounds: Bounds = { min: 1, max: 12, names: monthNames };
const dowBounds: Bounds = { min: 0, max: 6, names: dayNames };

const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The values a field allows; `star` when written as `*` or `?` (without a step above 1). */
interface FieldSet {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

export interface CronSchedule {
  /** The first activation strictly after `afterMs` (whole seconds), or undefined if none within five years. */
  next(afterMs: number): number | undefined;
}

function parseNumber(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseValue(expr: string, b: Bounds): number {
  return b.names?.[expr.toLowerCase()] ?? parseNumber(expr);
}

function parseRange(expr: string, b: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const low = lowAndHigh[0] ?? '';
  let star = false;
  let start: number;
  let end: number;
  if (low === '*' || low === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseValue(low, b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseValue(lowAndHigh[1] ?? '', b);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1] ?? '');
    if (lowAndHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

function parseField(field: string, b: Bounds): FieldSet {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) star = parseRange(part, b, values) || star;
  return { values, star };
}

/** The @every delay: Go's time.ParseDuration, without the sign robfig/cron would take. */
function parseEvery(text: string): number {
  if (/^[+-]/.test(text)) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return parseGoDurationMs(text);
}

class EverySchedule implements CronSchedule {
  constructor(private readonly delayMs: number) {}
  next(afterMs: number): number {
    return Math.floor(afterMs / 1000) * 1000 + this.delayMs;
  }
}

class FieldSchedule implements CronSchedule {
  constructor(
    private readonly minute: FieldSet,
    private readonly hour: FieldSet,
    private readonly dom: FieldSet,
    private readonly month: FieldSet,
    private readonly dow: FieldSet,
    private readonly zone: Zone,
  ) {}

  /** Day-of-month and day-of-week: both must match if either is `*`, else one is enough. */
  private dayMatches(t: number): boolean {
    const w = this.zone.wall(t);
    const domMatch = this.dom.values.has(w.day);
    const dowMatch = this.dow.values.has(w.weekday);
    return this.dom.star || this.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  }

  next(afterMs: number): number | undefined {
    const z = this.zone;
    // The search moves forward field by field, resetting the finer fields the first time it moves.
    let t = Math.floor(afterMs / 1000) * 1000 + 1000;
    let reset = false;
    const yearLimit = z.wall(t).year + 5;
    wrap: for (;;) {
      if (z.wall(t).year > yearLimit) return undefined;
      for (let w = z.wall(t); !this.month.values.has(w.month); w = z.wall(t)) {
        if (!reset) {
          reset = true;
          t = z.fromWall(w.year, w.month, 1);
          w = z.wall(t);
        }
        t = z.fromWall(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
        if (z.wall(t).month === 1) continue wrap;
      }
      while (!this.dayMatches(t)) {
        let w = z.wall(t);
        if (!reset) {
          reset = true;
          t = z.fromWall(w.year, w.month, w.day);
          w = z.wall(t);
        }
        t = z.fromWall(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
        // Midnight may not exist or may have moved by an hour across a DST change.
        const hour = z.wall(t).hour;
        if (hour !== 0) t += (hour > 12 ? 24 - hour : -hour) * 3_600_000;
        if (z.wall(t).day === 1) continue wrap;
      }
      for (let w = z.wall(t); !this.hour.values.has(w.hour); w = z.wall(t)) {
        if (!reset) {
          reset = true;
          t = z.fromWall(w.year, w.month, w.day, w.hour);
        }
        t += 3_600_000;
        if (z.wall(t).hour === 0) continue wrap;
      }
      for (let w = z.wall(t); !this.minute.values.has(w.minute); w = z.wall(t)) {
        if (!reset) {
          reset = true;
          t = Math.floor(t / 60_000) * 60_000;
        }
        t += 60_000;
        if (z.wall(t).minute === 0) continue wrap;
      }
      // Seconds are always 0 in the standard syntax.
      while (z.wall(t).second !== 0) {
        if (!reset) {
          reset = true;
          t = Math.floor(t / 1000) * 1000;
        }
        t += 1000;
        if (z.wall(t).second === 0) continue wrap;
      }
      return t;
    }
  }
}

/** Parses a schedule in the zone (UTC when none); throws with robfig/cron's error text. */
export function parseCronSchedule(schedule: string, timeZone = 'UTC'): CronSchedule {
  let spec = schedule.trim();
  if (!spec) throw new Error('empty spec string');
  let zoneName = timeZone;
  const tz = /^(CRON_TZ|TZ)=(\S*)\s*/.exec(spec);
  if (tz) {
    zoneName = tz[2] ?? '';
    spec = spec.slice(tz[0].length);
  }
  let zone: Zone;
  try {
    zone = new Zone(zoneName);
  } catch {
    throw new Error(`provided bad location ${zoneName}: unknown time zone ${zoneName}`);
  }
  if (spec.startsWith('@every ')) {
    const text = spec.slice('@every '.length);
    let ms: number;
    try {
      ms = parseEvery(text);
    } catch (e) {
      throw new Error(`failed to parse duration ${spec}: ${(e as Error).message}`);
    }
    return new EverySchedule(Math.max(1000, Math.floor(ms / 1000) * 1000));
  }
  if (spec.startsWith('@')) {
    const expansion = descriptors[spec];
    if (!expansion) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = expansion;
  }
  const fields = spec.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  return new FieldSchedule(
    parseField(minute, minuteBounds),
    parseField(hour, hourBounds),
    parseField(dom, domBounds),
    parseField(month, monthBounds),
    parseField(dow, dowBounds),
    zone,
  );
}

/** The parse error of a schedule, as kube puts it in the field error; undefined when it is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
