import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integralFloatLiterals, rememberJsonSource } from './json-number-literals.js';

function parsed(text: string): Record<string, unknown> {
  const body = JSON.parse(text) as Record<string, unknown>;
  rememberJsonSource(body, text);
  return body;
}

test('finds integers written with a fraction or exponent, by the object and key holding them', () => {
  const body = parsed('{"spec": {"replicas": 1.0, "image": "nginx:1.25", "a": [1, 2e0, {"x": 1.5, "y": -3E2}]}, "k\\"": 1e3}');
  const found = integralFloatLiterals(body)!;
  const spec = body.spec as Record<string, unknown>;
  const list = spec.a as unknown[];
  assert.deepEqual([...found.get(spec)!], [['replicas', '1.0']]);
  assert.deepEqual([...found.get(list)!], [['1', '2e0']]);
  assert.deepEqual([...found.get(list[2] as object)!], [['y', '-3E2']]);
  assert.deepEqual([...found.get(body)!], [['k"', '1e3']]);
});

test('bodies without such numbers, or without their text, cost one regular expression', () => {
  assert.equal(integralFloatLiterals(parsed('{"image": "nginx:1.25", "n": 1, "s": "1.0,"}')), undefined);
  assert.equal(integralFloatLiterals({ n: 1 }), undefined);
});
