import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger, type LogFormat } from './logger.js';

function capture(verbosity: number, format: LogFormat): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ verbosity, format, write: (l) => lines.push(l), now: () => new Date(Date.UTC(2026, 10, 2, 3, 4, 5, 67)) });
  return { logger, lines };
}

test('text entries are one klog-style line with quoted message and key=value pairs', () => {
  const { logger, lines } = capture(0, 'text');
  logger.info('Serving securely', { address: '127.0.0.1:6443', port: 6443, tls: true, skipped: undefined });
  logger.warning('Could not write "endpoints"', { err: 'line one\nline two' });
  logger.error('Internal error', new Error('boom'));
  assert.deepEqual(lines, [
    `I1102 03:04:05.067000 ${String(process.pid).padStart(7)} skiff] "Serving securely" address="127.0.0.1:6443" port=6443 tls=true\n`,
    `W1102 03:04:05.067000 ${String(process.pid).padStart(7)} skiff] "Could not write \\"endpoints\\"" err="line one\\nline two"\n`,
    `E1102 03:04:05.067000 ${String(process.pid).padStart(7)} skiff] "Internal error" err="boom"\n`,
  ]);
});

test('json entries are one object per line with level, verbosity and fields', () => {
  const { logger, lines } = capture(4, 'json');
  logger.v(4, 'HTTP', { verb: 'GET', resp: 200 });
  logger.error('Compaction failed', 'disk full', { revision: 9 });
  assert.deepEqual(
    lines.map((l) => JSON.parse(l) as unknown),
    [
      { ts: 1793588645.067, v: 4, msg: 'HTTP', verb: 'GET', resp: 200 },
      { ts: 1793588645.067, v: 0, level: 'error', msg: 'Compaction failed', revision: 9, err: 'disk full' },
    ],
  );
  assert.ok(lines.every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n')));
});

test('verbosity gates v(N) entries as klog does', () => {
  const { logger, lines } = capture(2, 'text');
  logger.v(2, 'shown');
  logger.v(3, 'hidden');
  logger.v(4, 'hidden too');
  assert.equal(lines.length, 1);
  assert.ok(logger.enabled(2) && !logger.enabled(3));
  const quiet = capture(0, 'text');
  quiet.logger.v(1, 'hidden');
  quiet.logger.warning('warnings always show');
  assert.equal(quiet.lines.length, 1);
});
