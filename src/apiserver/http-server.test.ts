// Unit tests of the request deadlines' configuration: production defaults as kube-apiserver's,
// overridable in milliseconds through the environment (tests shorten them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultHttpTimeouts, httpTimeoutsFromEnv } from './http-server.js';

test('without variables the deadlines are the production ones', () => {
  assert.deepEqual(httpTimeoutsFromEnv({}), { headersMs: 32_000, bodyMs: 60_000, bodyIdleMs: 15_000 });
  assert.deepEqual(httpTimeoutsFromEnv({}), defaultHttpTimeouts);
});

test('each deadline can be set in milliseconds; nonsense is ignored', () => {
  assert.deepEqual(httpTimeoutsFromEnv({ SKIFF_HEADERS_TIMEOUT_MS: '1000', SKIFF_BODY_TIMEOUT_MS: '2500', SKIFF_BODY_IDLE_TIMEOUT_MS: '800' }), {
    headersMs: 1000,
    bodyMs: 2500,
    bodyIdleMs: 800,
  });
  for (const bad of ['0', '-5', '1.5', '1e3', 'abc', ' 10', '2147483648']) {
    assert.deepEqual(httpTimeoutsFromEnv({ SKIFF_BODY_TIMEOUT_MS: bad }), defaultHttpTimeouts, bad);
  }
});
