// Prints the same benchmark run on several backends side by side: one line per figure with each
// backend's result and verdict, and the ratio of the second backend's number to the first's.
import type { ResultRow, ResultTable } from './result-table.js';

export interface BackendRun {
  readonly name: string;
  readonly table: ResultTable;
}

/** Renders `runs` (at least one) as an aligned plain-text table; the ratio column compares the second run with the first. */
export function renderComparison(runs: readonly BackendRun[]): string {
  const [first, second] = runs;
  if (first === undefined) return '';
  const figures = [...new Set(runs.flatMap((run) => run.table.all().map((row) => row.figure)))];
  const find = (run: BackendRun, figure: string): ResultRow | undefined => run.table.all().find((row) => row.figure === figure);
  const header = ['figure', ...runs.map((run) => run.name), ...(second ? [`ratio ${second.name}/${first.name}`] : []), 'target'];
  const lines = figures.map((figure) => {
    const rows = runs.map((run) => find(run, figure));
    const cells = rows.map((row) => (row ? `${row.result} ${row.verdict === '—' ? '' : row.verdict}`.trim() : 'n/a'));
    const base = rows[0]?.value;
    const other = rows[1]?.value;
    const ratio =
      base !== undefined && other !== undefined && Number.isFinite(base) && Number.isFinite(other) && base > 0 ? `${(other / base).toFixed(2)}×` : '—';
    const target = rows.find((row) => row !== undefined)?.target ?? '—';
    return [figure, ...cells, ...(second ? [ratio] : []), target];
  });
  const all = [header, ...lines];
  const widths = header.map((_, column) => Math.max(...all.map((line) => (line[column] ?? '').length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1));
  return [render(header), rule, ...lines.map(render)].join('\n') + '\n';
}
