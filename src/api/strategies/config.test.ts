import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { configMapStrategy, secretStrategy, serviceAccountStrategy } from './config.js';
import type { Obj } from './object-access.js';

const messages = (errs: readonly FieldError[]) => errs.map(fieldErrorMessage);
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('ConfigMap keys must be config keys', () => {
  assert.deepEqual(configMapStrategy.validate({ metadata: { name: 'cfg' }, data: { 'app.properties': 'x' } }), []);
  assert.deepEqual(messages(configMapStrategy.validate({ metadata: { name: 'cfg' }, data: { 'a b': 'x' }, binaryData: { k: b64('1') } })), [
    `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  ]);
  assert.deepEqual(messages(configMapStrategy.validate({ metadata: { name: 'cfg' }, data: { k: 'x' }, binaryData: { k: b64('1') } })), [
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
  ]);
});

test('ConfigMaps may hold at most 1 MiB', () => {
  const errs = configMapStrategy.validate({ metadata: { name: 'cfg' }, data: { k: 'x'.repeat(1024 * 1024 + 1) } });
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.type, 'FieldValueTooLong');
});

test('immutable ConfigMaps and Secrets', () => {
  const old = { metadata: { name: 'cfg' }, data: { k: 'v' }, immutable: true };
  assert.deepEqual(configMapStrategy.validateUpdate({ ...old, metadata: { name: 'cfg', labels: { a: 'b' } } }, old), []);
  assert.deepEqual(messages(configMapStrategy.validateUpdate({ ...old, data: { k: 'w' }, immutable: false }, old)), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  const secret = { metadata: { name: 's' }, type: 'Opaque', data: { k: b64('v') } };
  assert.deepEqual(
    messages(secretStrategy.validateUpdate({ ...secret, type: 'kubernetes.io/tls' }, secret)).at(-1),
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
  );
});

test('Secrets default to Opaque and fold stringData into data', () => {
  const secret: Obj = { metadata: { name: 's' }, stringData: { password: 'hunter2' } };
  secretStrategy.default(secret);
  assert.deepEqual(secret, { metadata: { name: 's' }, data: { password: b64('hunter2') }, type: 'Opaque' });
});

test('typed Secrets need their keys', () => {
  const tls = { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } };
  assert.deepEqual(messages(secretStrategy.validate(tls)), ['data[tls.key]: Required value']);
  const sa = { metadata: { name: 's' }, type: 'kubernetes.io/service-account-token' };
  assert.deepEqual(messages(secretStrategy.validate(sa)), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
  const docker = { metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } };
  assert.deepEqual(messages(secretStrategy.validate(docker)), [
    `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'n' looking for beginning of value`,
  ]);
  const ok = { metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } };
  assert.deepEqual(secretStrategy.validate(ok), []);
});

test('ServiceAccounts check referenced secret names', () => {
  assert.deepEqual(serviceAccountStrategy.validate({ metadata: { name: 'default' }, secrets: [{ name: 'tok' }] }), []);
  assert.equal(serviceAccountStrategy.validate({ metadata: { name: 'default' }, imagePullSecrets: [{ name: 'Bad' }] }).length, 1);
});
