import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1035Label,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isConfigMapKey,
  isEnvVarName,
  isValidPathSegmentName,
  isValidIP,
  isValidPercent,
  nameIsDNSSubdomain,
} from './name-validation.js';

test('DNS-1123 subdomain message matches kube word for word', () => {
  assert.deepEqual(isDNS1123Subdomain('Bad_Name'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1123Subdomain('a.b-c'), []);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
});

test('DNS-1123 label lists examples with kube double spacing and flags dots separately', () => {
  assert.deepEqual(isDNS1123Label('Foo'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.equal(isDNS1123Label('x'.repeat(64))[0], 'must be no more than 63 characters');
});

test('DNS-1035 labels must start with a letter', () => {
  assert.deepEqual(isDNS1035Label('my-svc'), []);
  assert.match(isDNS1035Label('1svc')[0] ?? '', /^a DNS-1035 label must consist of/);
});

test('qualified names check prefix and name parts', () => {
  assert.deepEqual(isQualifiedName('example.com/app'), []);
  assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('app!')[0] ?? '', /^name part must consist of alphanumeric characters/);
  assert.match(isQualifiedName('a/b/c')[0] ?? '', /^a qualified name must consist of/);
  assert.deepEqual(isQualifiedName(`a${'b'.repeat(63)}`), ['name part must be no more than 63 characters']);
});

test('label values allow empty and reject spaces', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('bad value'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
});

test('port names, config keys, env names, path segments, IPs and percents', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('-a--'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
  assert.match(isConfigMapKey('a b')[0] ?? '', /^a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/);
  assert.deepEqual(isConfigMapKey('..x'), ["must not start with '..'"]);
  assert.deepEqual(isEnvVarName('1ABC'), []);
  assert.deepEqual(isEnvVarName('A=B'), ["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
  assert.deepEqual(isValidPathSegmentName('system:admin'), []);
  assert.deepEqual(isValidPathSegmentName('a/b%'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidIP('10.0.0.1'), []);
  assert.deepEqual(isValidIP('fd00::1'), []);
  assert.deepEqual(isValidIP('::ffff:10.0.0.1'), []);
  assert.equal(isValidIP('10.0.0.256').length, 1);
  assert.equal(isValidIP('1:2:3:4:5:6:7:8:9').length, 1);
  assert.deepEqual(isValidPercent('25%'), []);
  assert.equal(isValidPercent('25').length, 1);
});

test('generateName prefixes may end with a dash', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
});
