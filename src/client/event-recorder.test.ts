import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiClient } from './api-client.js';
import { EventRecorder } from './event-recorder.js';

test('25 events per object pass at once, the rest are dropped as client-go spam-filters them', async () => {
  const created: string[] = [];
  const fake = {
    create: async (_path: string, body: { message: string }) => {
      created.push(body.message);
      return body;
    },
    patch: async () => ({}),
  } as unknown as ApiClient;
  const recorder = new EventRecorder(fake, 'replicaset-controller');
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
  for (let i = 0; i < 40; i++) recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
  recorder.event({ ...rs, metadata: { ...rs.metadata, name: 'api', uid: 'u2' } }, 'Normal', 'SuccessfulCreate', 'Created pod: api-0');
  await recorder.flush();
  assert.equal(created.length, 26);
  assert.equal(created[24], 'Created pod: web-24');
  assert.equal(created[25], 'Created pod: api-0', 'another object has its own allowance');
});
