import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import { parseLabelSelector } from './label-selector.js';

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

test('equality operators match and print canonically', () => {
  const s = parseLabelSelector('app=web, tier==front,env!=prod');
  assert.equal(s.toString(), 'app=web,env!=prod,tier==front');
  assert.equal(s.matches({ app: 'web', tier: 'front' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'front', env: 'prod' }), false);
  assert.equal(s.matches({ app: 'web' }), false);
});

test('set operators, exists and not-exists', () => {
  const s = parseLabelSelector('env in (prod, qa),tier notin (db),canary,!legacy');
  assert.equal(s.toString(), 'canary,env in (prod,qa),!legacy,tier notin (db)');
  assert.equal(s.matches({ env: 'qa', canary: '' }), true);
  assert.equal(s.matches({ env: 'qa', canary: '', tier: 'db' }), false);
  assert.equal(s.matches({ env: 'qa', canary: '', legacy: 'x' }), false);
  assert.equal(s.matches({ env: 'dev', canary: '' }), false);
  assert.equal(s.matches({ env: 'qa' }), false);
});

test('in and notin are plain values inside a value set, and empty values are allowed', () => {
  assert.equal(parseLabelSelector('x in (in,notin)').toString(), 'x in (in,notin)');
  assert.equal(parseLabelSelector('x in (,a)').toString(), 'x in (,a)');
  assert.equal(parseLabelSelector('x in ()').matches({ x: '' }), true);
  assert.equal(parseLabelSelector('x=').matches({ x: '' }), true);
});

test('numeric comparisons', () => {
  const s = parseLabelSelector('replicas>2,replicas<10');
  assert.equal(s.matches({ replicas: '5' }), true);
  assert.equal(s.matches({ replicas: '2' }), false);
  assert.equal(s.matches({ replicas: 'many' }), false);
  assert.equal(s.matches({}), false);
});

test('empty selector matches everything', () => {
  const s = parseLabelSelector('');
  assert.equal(s.isEverything(), true);
  assert.equal(s.matches(undefined), true);
});

test('syntax errors use kube-apiserver wording', () => {
  assert.equal(parseError('a=b,'), "found '', expected: identifier after ','");
  assert.equal(parseError(',a'), "found ',', expected: !, identifier, or 'end of string'");
  assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
  assert.equal(parseError('a in (b c)'), "unable to parse requirement: found 'c', expected: ',' or ')'");
  assert.equal(parseError('!a=b'), "found '=', expected: ',' or 'end of string'");
  assert.equal(parseError('a=(b)'), "unable to parse requirement: found '(', expected: identifier");
  assert.equal(parseError('a=>b'), "unable to parse requirement: found '>', expected: identifier");
});

test('invalid keys and values are reported as field errors', () => {
  assert.match(parseError('-a=b'), /^unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters/);
  assert.match(parseError('a=-b'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-b": a valid label must be an empty string/);
  assert.equal(parseError('a>b'), `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`);
  assert.match(parseError('Example.com/a=b'), /prefix part a lowercase RFC 1123 subdomain/);
});
