// Unit tests of the decoding bounds: nesting depth, YAML alias expansion and decoded size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import {
  boundedTree,
  checkDecodedValue,
  checkJsonNesting,
  DecodeLimitError,
  echoInput,
  maxDecodedBytes,
  maxNestingDepth,
  yamlAliasListener,
} from './decode-limits.js';

function limitError(fn: () => unknown): DecodeLimitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DecodeLimitError, `expected a DecodeLimitError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

test('JSON nesting: the limit is allowed, one more is Go scanner wording', () => {
  checkJsonNesting('['.repeat(maxNestingDepth) + ']'.repeat(maxNestingDepth));
  const err = limitError(() => checkJsonNesting(`{"a":${'['.repeat(maxNestingDepth)}`));
  assert.equal(err.message, "invalid character '[' exceeded max depth");
  assert.equal(err.limit, 'depth');
  // Brackets inside strings, escaped quotes included, are not nesting.
  checkJsonNesting(JSON.stringify({ s: `\\"${'['.repeat(maxNestingDepth * 2)}` }));
});

test('JSON nesting: a 100,000-deep body is refused without recursion', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(limitError(() => checkJsonNesting(deep)).limit, 'depth');
});

test('decoded values: depth, size and an ordinary object', () => {
  assert.deepEqual(checkDecodedValue({ a: [1, 'two', null, true, { b: {} }] }), { shared: false });
  checkDecodedValue(nested(maxNestingDepth));
  assert.equal(limitError(() => checkDecodedValue(nested(maxNestingDepth + 1))).message, `exceeded max depth of ${maxNestingDepth}`);
  assert.equal(limitError(() => checkDecodedValue(nested(100_000), { yaml: true })).message, `yaml: exceeded max depth of ${maxNestingDepth}`);
  const big = 'x'.repeat(1024 * 1024);
  checkDecodedValue({ a: big, b: big });
  assert.equal(limitError(() => checkDecodedValue({ a: big, b: big, c: big })).limit, 'size');
});

test('the size counted is close to the JSON text', () => {
  const value = { metadata: { name: 'n', labels: { a: 'b' } }, data: [1, 2.5, true, null, 'é'] };
  const exact = Buffer.byteLength(JSON.stringify(value));
  checkDecodedValue(value, { maxBytes: exact });
  assert.equal(limitError(() => checkDecodedValue(value, { maxBytes: exact - 1 })).limit, 'size');
});

/** The classic billion laughs: nine levels of nine aliases each. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1]!;
    lines.push(`${names[i]!}: &${names[i]!} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return lines.join('\n');
}

test('billion laughs: refused as excessive aliasing while parsing, in milliseconds', () => {
  const started = performance.now();
  const err = limitError(() => yaml.load(billionLaughs(), { listener: yamlAliasListener() }));
  assert.equal(err.message, 'yaml: document contains excessive aliasing');
  assert.ok(performance.now() - started < 200, 'took longer than 200 ms');
});

test('billion laughs already parsed (shared objects): the tree walk refuses it too', () => {
  const doc = yaml.load(billionLaughs());
  const started = performance.now();
  assert.equal(limitError(() => checkDecodedValue(doc, { yaml: true })).message, 'yaml: document contains excessive aliasing');
  assert.ok(performance.now() - started < 200);
});

test('aliases in ordinary use are fine and come back unshared', () => {
  const text = 'base: &base {app: web, tier: front}\nlabels: *base\nselector: {<<: *base, extra: x}\n';
  const doc = yaml.load(text, { listener: yamlAliasListener() }) as Record<string, Record<string, string>>;
  const tree = boundedTree(doc, { yaml: true });
  assert.deepEqual(tree.labels, { app: 'web', tier: 'front' });
  assert.notEqual(tree.labels, tree.base);
  tree.labels.app = 'changed';
  assert.equal(tree.base!.app, 'web');
});

test('merge keys over a large anchored map are stopped while parsing', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}: v`).join(', ');
  const text = `a: &a {${keys}}\nlist:\n${Array(1000).fill('- {<<: *a}').join('\n')}\n`;
  const started = performance.now();
  const err = limitError(() => yaml.load(text, { listener: yamlAliasListener() }));
  assert.equal(err.message, 'yaml: document contains excessive aliasing');
  // go-yaml's rule lets about thirty such merges through; js-yaml takes some 20 ms for each.
  assert.ok(performance.now() - started < 3000);
});

test('echoInput quotes at most its limit', () => {
  assert.equal(echoInput('short'), 'short');
  const long = echoInput('x'.repeat(10_000));
  assert.ok(long.length < 300);
  assert.match(long, /\.\.\. \(9744 more characters\)$/);
  assert.equal(maxDecodedBytes, 3 * 1024 * 1024);
});
