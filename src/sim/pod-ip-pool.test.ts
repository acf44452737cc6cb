import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodIpPool } from './pod-ip-pool.js';

test('hands out addresses after the bridge one, skips claimed ones and reuses released ones', () => {
  const pool = new PodIpPool('10.244.3.0/24');
  assert.equal(pool.claim('10.244.3.3', 'old'), true);
  assert.equal(pool.claim('10.244.4.3', 'elsewhere'), false);
  assert.equal(pool.allocate('a'), '10.244.3.2');
  assert.equal(pool.allocate('b'), '10.244.3.4');
  pool.release('10.244.3.2', 'someone-else');
  assert.equal(pool.size, 3);
  pool.release('10.244.3.2', 'a');
  assert.equal(pool.size, 2);
});

test('runs out after the usable addresses of the range', () => {
  const pool = new PodIpPool('10.0.0.0/29');
  const got = [1, 2, 3, 4, 5].map((i) => pool.allocate(String(i)));
  assert.deepEqual(got, ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  assert.equal(pool.allocate('6'), undefined);
  pool.release('10.0.0.4', '3');
  assert.equal(pool.allocate('7'), '10.0.0.4');
});
