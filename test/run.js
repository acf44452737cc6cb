#!/usr/bin/env node
// Runs the compiled tests (dist/src/**/*.test.js, dist/test/**/*.test.js) with Node's test runner,
// after `npm run build`. Arguments that are not flags keep only the files whose path contains one
// of them (`npm test -- storage`); flags go to `node --test` (`npm test -- --test-name-pattern=x`).

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const filters = args.filter((arg) => !arg.startsWith('-'));
const runnerFlags = args.filter((arg) => arg.startsWith('-'));
// Two cores: one file per core; SKIFF_TEST_CONCURRENCY=1 serialises when tests compete.
const concurrency = process.env.SKIFF_TEST_CONCURRENCY ?? '2';

const files = ['src', 'test']
  .flatMap((top) => testFiles(path.join(root, 'dist', top)))
  .filter((file) => existsSync(sourceOf(file)))
  .filter((file) => {
    const relative = path.relative(root, sourceOf(file));
    return filters.length === 0 || filters.some((filter) => relative.includes(filter));
  })
  .sort();

if (files.length === 0) {
  const what = filters.length === 0 ? '' : ` matching ${filters.join(', ')}`;
  console.error(`no compiled test files${what} under dist/ (run \`npm run build\` first)`);
  process.exit(1);
}

console.log(`running ${files.length} test files, ${concurrency} at a time`);
const flags = [`--test-concurrency=${concurrency}`];
// A hung test must not eat CI's time budget.
if (!runnerFlags.some((flag) => flag.startsWith('--test-timeout'))) flags.push('--test-timeout=600000');
const runner = spawn(process.execPath, ['--test', ...flags, ...runnerFlags, ...files], {
  cwd: root,
  stdio: 'inherit',
});
runner.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});

/** Every `*.test.js` below `dir`, recursively; none if `dir` does not exist. */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.isFile() && entry.name.endsWith('.test.js') ? [full] : [];
  });
}

/** The TypeScript source a compiled file came from; compiled tests of deleted sources are stale. */
function sourceOf(file) {
  return path.join(root, path.relative(path.join(root, 'dist'), file)).replace(/\.js$/, '.ts');
}
