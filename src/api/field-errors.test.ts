// Unit tests of field error wording: Go's %#v shapes, and bad values quoted only in part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './errors.js';
import { fieldErrorMessage } from './field-errors.js';

test('bad values print as Go prints them', () => {
  assert.equal(fieldErrorMessage({ type: 'FieldValueInvalid', field: 'spec.x', badValue: 'v', detail: 'bad' }), 'spec.x: Invalid value: "v": bad');
  assert.equal(fieldErrorMessage({ type: 'FieldValueInvalid', field: 'a', badValue: ['x', 'y'] }), 'a: Invalid value: []string{"x", "y"}');
  assert.equal(fieldErrorMessage({ type: 'FieldValueInvalid', field: 'a', badValue: { b: 'c' } }), 'a: Invalid value: map[string]string{"b":"c"}');
});

test('a megabyte bad value is quoted in part, in the message and in each cause', () => {
  const huge = 'x'.repeat(1024 * 1024);
  const err = ApiError.invalid({ group: '', kind: 'ConfigMap' }, 'c', [{ type: 'FieldValueInvalid', field: 'data', badValue: huge, detail: 'too odd' }]);
  assert.ok(err.message.length < 400, `message of ${err.message.length} characters`);
  assert.match(err.message, /^ConfigMap "c" is invalid: data: Invalid value: "x{255}\.\.\. \(\d+ more characters\): too odd$/);
  for (const cause of err.details?.causes ?? []) assert.ok((cause.message ?? '').length < 400);
});
