import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { HealthChecks } from '../component/index.js';
import type { ApiRequest } from './handlers/http-io.js';
import { healthTarget, serveHealth } from './health-endpoints.js';

function checks(): HealthChecks {
  const h = new HealthChecks();
  h.add([
    { name: 'sqlite', endpoints: ['healthz', 'livez', 'readyz'], check: () => undefined },
    {
      name: 'scheduler',
      endpoints: ['healthz', 'readyz'],
      check: () => {
        throw new Error('the scheduler stopped');
      },
    },
  ]);
  return h;
}

async function get(h: HealthChecks, path: string): Promise<{ code: number; body: string }> {
  const [p, q] = path.split('?');
  const target = healthTarget(h, p!.split('/').slice(1));
  assert.ok(target, path);
  let code = 0;
  let body = '';
  const res = {
    setHeader: () => res,
    writeHead: (c: number) => ((code = c), res),
    end: (b?: Buffer) => void (body = b ? b.toString() : ''),
  } as unknown as ServerResponse;
  await serveHealth(h, target, { method: 'GET', query: new URLSearchParams(q ?? '') } as ApiRequest, res);
  return { code, body };
}

test('a failing check fails its endpoints with the reason withheld, as kube does', async () => {
  assert.deepEqual(await get(checks(), '/readyz'), {
    code: 500,
    body: '[+]ping ok\n[+]sqlite ok\n[-]scheduler failed: reason withheld\nreadyz check failed\n',
  });
  assert.deepEqual(await get(checks(), '/livez'), { code: 200, body: 'ok' });
  assert.deepEqual(await get(checks(), '/healthz/scheduler'), { code: 500, body: '[-]scheduler failed: reason withheld\nhealthz check failed\n' });
});

test('?exclude skips a check and warns about names that match none', async () => {
  assert.deepEqual(await get(checks(), '/healthz?verbose&exclude=scheduler&exclude=b&exclude=a'), {
    code: 200,
    body: '[+]ping ok\n[+]sqlite ok\n[+]scheduler excluded: ok\nwarn: some health checks cannot be excluded: no matches for "a", "b"\nhealthz check passed\n',
  });
});

test('a check has its own path only on the endpoints that list it', () => {
  assert.equal(healthTarget(checks(), ['livez', 'scheduler']), undefined);
  assert.equal(healthTarget(checks(), ['readyz', 'scheduler'])?.check?.name, 'scheduler');
  assert.equal(healthTarget(checks(), ['readyz', 'scheduler', 'x']), undefined);
});
