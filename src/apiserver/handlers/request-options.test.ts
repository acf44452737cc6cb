// Unit tests of integer query parameters, which kube reads with Go's strconv.ParseInt(s, 10, 64):
// generated inputs around 2^31, 2^53 and 2^63 with signs, spaces, hex, exponents and more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import { intParam, parseGoInt64 } from './request-options.js';

/** Go's ParseInt(s, 10, 64), written out digit by digit as strconv does it, to check against. */
function goParseInt(s: string): { value: bigint } | { error: 'invalid syntax' | 'value out of range' } {
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  if (i === s.length) return { error: 'invalid syntax' };
  let n = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return { error: 'invalid syntax' };
    n = n * 10n + BigInt(c - 48);
  }
  const limit = negative ? 2n ** 63n : 2n ** 63n - 1n;
  if (n > limit) return { error: 'value out of range' };
  return { value: negative ? -n : n };
}

function outcome(s: string): { value: bigint } | { error: string } {
  try {
    return { value: parseGoInt64(s) };
  } catch (err) {
    assert.ok(err instanceof ApiError, `${JSON.stringify(s)} threw ${String(err)}`);
    assert.equal(err.code, 400);
    const m = /^strconv\.ParseInt: parsing (".*"): (invalid syntax|value out of range)$/.exec(err.message);
    assert.ok(m, err.message);
    assert.equal(JSON.parse(m[1]!), s);
    return { error: m[2]! };
  }
}

/** A deterministic generator, so a failure names an input that fails again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function generatedInputs(): string[] {
  const next = random(20261207);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const inputs = [
    '',
    '+',
    '-',
    '0',
    '-0',
    '+0',
    '00',
    '007',
    ' 1',
    '1 ',
    '\t1',
    '1\n',
    '0x10',
    '0X1f',
    '1e3',
    '1E3',
    '1.0',
    '.5',
    '1_000',
    '٣',
    '１',
    'NaN',
    'Infinity',
    '--1',
    '+-1',
    '1-',
  ];
  for (const base of [2n ** 31n, 2n ** 53n, 2n ** 63n, 10n ** 18n, 10n ** 19n, 10n ** 20n]) {
    for (let d = -3n; d <= 3n; d++) {
      for (const sign of ['', '+', '-']) inputs.push(`${sign}${base + d}`);
    }
  }
  const junk = [' ', 'x', 'e', '.', '_', '+', '-', 'a', '\u0000'];
  for (let i = 0; i < 2000; i++) {
    const length = 1 + Math.floor(next() * 22);
    let digits = '';
    for (let j = 0; j < length; j++) digits += String(Math.floor(next() * 10));
    let s = `${pick(['', '', '+', '-'])}${digits}`;
    if (next() < 0.25) {
      const at = Math.floor(next() * (s.length + 1));
      s = s.slice(0, at) + pick(junk) + s.slice(at);
    }
    inputs.push(s);
  }
  return inputs;
}

test('integers parse exactly as Go parses int64; everything else is a 400 with Go’s text', () => {
  let accepted = 0;
  for (const s of generatedInputs()) {
    assert.deepEqual(outcome(s), goParseInt(s), JSON.stringify(s));
    if ('value' in goParseInt(s)) accepted++;
  }
  assert.ok(accepted > 500, 'the generator should produce plenty of valid numbers too');
});

test('the int64 edges exactly', () => {
  assert.equal(parseGoInt64('9223372036854775807'), 2n ** 63n - 1n);
  assert.equal(parseGoInt64('-9223372036854775808'), -(2n ** 63n));
  assert.deepEqual(outcome('9223372036854775808'), { error: 'value out of range' });
  assert.deepEqual(outcome('-9223372036854775809'), { error: 'value out of range' });
  assert.deepEqual(outcome('99999999999999999999999999999'), { error: 'value out of range' });
  assert.deepEqual(outcome('1e400'), { error: 'invalid syntax' });
});

test('intParam: absent is undefined; values are whole numbers, clamped to the exactly representable range', () => {
  const q = (s: string) => new URLSearchParams(s);
  assert.equal(intParam(q(''), 'limit'), undefined);
  assert.equal(intParam(q('limit=500'), 'limit'), 500);
  assert.equal(intParam(q('limit=-5'), 'limit'), -5);
  assert.equal(intParam(q('timeoutSeconds=2147483648'), 'timeoutSeconds'), 2147483648);
  assert.equal(intParam(q('limit=9223372036854775807'), 'limit'), Number.MAX_SAFE_INTEGER);
  assert.equal(intParam(q('limit=-9223372036854775808'), 'limit'), -Number.MAX_SAFE_INTEGER);
  for (const bad of ['limit=', 'limit=1.5', 'limit=0x10', 'limit=%201', 'limit=9223372036854775808']) {
    assert.throws(
      () => intParam(q(bad), 'limit'),
      (err: unknown) => err instanceof ApiError && err.code === 400,
      bad,
    );
  }
  for (let i = 0; i < 200; i++) {
    const v = intParam(q(`limit=${BigInt(i) * 46116860184273879n}`), 'limit')!;
    assert.ok(Number.isSafeInteger(v), String(v));
  }
});
