// The benchmarks' summary: one row per figure with its target and verdict, printed as an aligned
// plain-text table that reads the same in a terminal and in a CI log.

export type Verdict = 'PASS' | 'FAIL' | '—';

export interface ResultRow {
  readonly figure: string;
  readonly result: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** The measured number behind a checked row, for comparing runs. */
  readonly value?: number;
}

export class ResultTable {
  private readonly rows: ResultRow[] = [];

  add(row: ResultRow): void {
    this.rows.push(row);
    process.stdout.write(`  ${row.figure}: ${row.result}  (target ${row.target}) ${row.verdict}\n`);
  }

  /** Adds a row whose verdict follows from comparing `value` with `limit`. */
  check(figure: string, result: string, target: string, value: number, limit: number, direction: 'atLeast' | 'atMost'): void {
    const met = Number.isFinite(value) && (direction === 'atLeast' ? value >= limit : value <= limit);
    this.add({ figure, result, target, verdict: met ? 'PASS' : 'FAIL', value });
  }

  all(): readonly ResultRow[] {
    return this.rows;
  }

  failures(): number {
    return this.rows.filter((row) => row.verdict === 'FAIL').length;
  }

  render(): string {
    const header: ResultRow = { figure: 'figure', result: 'result', target: 'target', verdict: '—' };
    const all = [header, ...this.rows];
    const width = (pick: (row: ResultRow) => string) => Math.max(...all.map((row) => pick(row).length));
    const w = [width((r) => r.figure), width((r) => r.result), width((r) => r.target)] as const;
    const line = (row: ResultRow, verdict: string) => `${row.figure.padEnd(w[0])}  ${row.result.padEnd(w[1])}  ${row.target.padEnd(w[2])}  ${verdict}`;
    const rule = '-'.repeat(w[0] + w[1] + w[2] + 12);
    return [line(header, 'verdict'), rule, ...this.rows.map((row) => line(row, row.verdict))].join('\n') + '\n';
  }
}
