// Unit tests of the name and namespace check every storage key passes (kube's registry key functions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import { checkNameParameter } from './name-parameter.js';

const refusal = (parameter: 'Name' | 'Namespace', value: string): string | undefined => {
  try {
    checkNameParameter(parameter, value);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
};

test('dot names, slashes and percents are refused with kube’s message', () => {
  assert.equal(refusal('Name', '.'), `Name parameter invalid: ".": may not be '.'`);
  assert.equal(refusal('Name', '..'), `Name parameter invalid: "..": may not be '..'`);
  assert.equal(refusal('Name', 'a/b'), `Name parameter invalid: "a/b": may not contain '/'`);
  assert.equal(refusal('Name', 'a%b'), `Name parameter invalid: "a%b": may not contain '%'`);
  assert.equal(refusal('Name', '/%'), `Name parameter invalid: "/%": may not contain '/';may not contain '%'`);
  assert.equal(refusal('Namespace', '..'), `Namespace parameter invalid: "..": may not be '..'`);
});

test('ordinary names, names with dots inside and empty values pass', () => {
  for (const v of ['', 'default', 'a.b', '...', '.a', 'a..', 'system:admin', 'x-1']) {
    assert.equal(refusal('Name', v), undefined, v);
    assert.equal(refusal('Namespace', v), undefined, v);
  }
});
