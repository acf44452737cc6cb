// The server's leveled, structured logger: one line per entry, klog's `I1122 20:26:01.123456 pid file] "msg" k=v`
// text by default or one JSON object per line, and klog's -v verbosity (0 always, 2 details, 4+ per request).

export type LogFormat = 'text' | 'json';
export type LogValue = string | number | boolean | undefined;

export interface LoggerOptions {
  readonly verbosity: number;
  readonly format: LogFormat;
  /** Where lines go; stderr unless a test captures them. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export class Logger {
  readonly verbosity: number;
  readonly format: LogFormat;
  private readonly out: (line: string) => void;
  private readonly now: () => Date;

  constructor(opts: LoggerOptions) {
    this.verbosity = opts.verbosity;
    this.format = opts.format;
    this.out = opts.write ?? ((line) => process.stderr.write(line));
    this.now = opts.now ?? (() => new Date());
  }

  /** Whether entries at this verbosity are printed: check before building costly fields. */
  enabled(level: number): boolean {
    return level <= this.verbosity;
  }

  info(msg: string, fields?: Readonly<Record<string, LogValue>>): void {
    this.emit('I', 0, msg, fields);
  }

  /** An informational entry printed only at -v level or above. */
  v(level: number, msg: string, fields?: Readonly<Record<string, LogValue>>): void {
    if (level <= this.verbosity) this.emit('I', level, msg, fields);
  }

  warning(msg: string, fields?: Readonly<Record<string, LogValue>>): void {
    this.emit('W', 0, msg, fields);
  }

  error(msg: string, err?: unknown, fields?: Readonly<Record<string, LogValue>>): void {
    this.emit('E', 0, msg, err === undefined ? fields : { ...fields, err: errorText(err) });
  }

  private emit(severity: 'I' | 'W' | 'E', level: number, msg: string, fields: Readonly<Record<string, LogValue>> | undefined): void {
    const time = this.now();
    if (this.format === 'json') {
      const entry: Record<string, unknown> = { ts: time.getTime() / 1000, v: level, msg };
      if (severity === 'E') entry.level = 'error';
      else if (severity === 'W') entry.level = 'warning';
      for (const [k, value] of Object.entries(fields ?? {})) if (value !== undefined) entry[k] = value;
      this.out(`${JSON.stringify(entry)}\n`);
      return;
    }
    let line = `${severity}${klogTime(time)} ${String(process.pid).padStart(7)} skiff] ${JSON.stringify(msg)}`;
    for (const [k, value] of Object.entries(fields ?? {}))
      if (value !== undefined) line += ` ${k}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
    this.out(`${line}\n`);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) return JSON.stringify(err);
  return String(err);
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** klog's header time, `MMDD hh:mm:ss.uuuuuu` in UTC. */
function klogTime(t: Date): string {
  const micros = String(t.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.${micros}`;
}

/** The process-wide logger; `skiff server` replaces it once its flags are read. */
export let log = new Logger({ verbosity: 0, format: 'text' });

export function setLogger(logger: Logger): void {
  log = logger;
}
