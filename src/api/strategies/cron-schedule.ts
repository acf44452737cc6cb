// Checks a CronJob schedule as kube does (robfig/cron's standard parser: five fields or an
// @descriptor), returning the parser's error text, which kube puts in the field error.

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const months = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const days = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fieldBounds: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: days },
];
const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function parseInt10(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? parseInt10(expr);
}

function checkRange(expr: string, b: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const low = lowAndHigh[0] ?? '';
  let start: number;
  let end: number;
  if (low === '*' || low === '?') {
    start = b.min;
    end = b.max;
  } else {
    start = parseIntOrName(low, b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', b);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1] ?? '');
    // "N/step" means from N to the maximum.
    if (lowAndHigh.length === 1) end = b.max;
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
}

function checkDuration(text: string): boolean {
  return /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(text) || text === '0';
}

/** The parse error of a schedule, or undefined when it is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  let spec = schedule.trim();
  if (spec.length === 0) return 'empty spec string';
  const tz = /^(CRON_TZ|TZ)=(\S*)\s*/.exec(spec);
  if (tz) {
    const zone = tz[2] ?? '';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      return `provided bad location ${zone}: unknown time zone ${zone}`;
    }
    spec = spec.slice(tz[0].length);
  }
  if (spec.startsWith('@')) {
    if (descriptors.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      return checkDuration(d) ? undefined : `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  try {
    fields.forEach((f, i) => {
      const b = fieldBounds[i];
      if (b) for (const part of f.split(',')) checkRange(part, b);
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return undefined;
}
