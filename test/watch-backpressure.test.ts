// Watch back-pressure through a real server: a watcher whose client never reads is closed once it
// falls further behind than its bounded queue, while another watcher of the same events receives
// every one of them.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { rawClient, startServer, type RawClient, type TestServer } from './support/index.js';

const namespace = 'flood';
/** 40 ConfigMaps of 900 KB: more than twice the 16 MiB queue plus what the sockets absorb. */
const configMaps = 40;
const dataBytes = 900 * 1024;

describe('watch back-pressure', () => {
  let server: TestServer;
  let api: RawClient;
  before(async () => {
    server = await startServer({ extraArgs: ['-v', '1'] });
    api = await rawClient(server.kubeconfig);
  });
  after(async () => server?.stop());

  test('a watcher that never reads is closed, and a reading one still gets every event', async () => {
    const json = { 'Content-Type': 'application/json' };
    const ns = await api.call('POST', '/api/v1/namespaces', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }),
      headers: json,
    });
    assert.equal(ns.status, 201);
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    const list = (await api.call('GET', path)).json<{ metadata: { resourceVersion: string } }>();
    const watchPath = `${path}?watch=true&resourceVersion=${list.metadata.resourceVersion}`;
    const stalled = await api.open(watchPath);
    assert.equal(stalled.statusCode, 200);
    const added = (events: Record<string, unknown>[]) => events.filter((e) => e.type === 'ADDED').length;
    let flood: Promise<void> = Promise.resolve();
    const reader = api.watch(
      watchPath,
      (events) => added(events) === configMaps,
      120_000,
      () => {
        flood = (async () => {
          const filler = 'x'.repeat(dataBytes);
          for (let i = 0; i < configMaps; i++) {
            const created = await api.call('POST', path, {
              body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { filler } }),
              headers: json,
              timeoutMs: 60_000,
            });
            assert.equal(created.status, 201);
          }
        })();
      },
    );
    const events = await reader;
    await flood;
    assert.equal(added(events), configMaps, 'the reading watcher got every event');

    // The server said why it closed the other one.
    const log = await readFile(server.logFile, 'utf8');
    assert.match(log, new RegExp(`Forcing watch close: the client does not read fast enough.*configmaps.*/${namespace}/`));

    // Read now: what was already in flight arrives, then the response ends, short of the flood.
    const received = await new Promise<number>((resolve, reject) => {
      let bytes = 0;
      const timer = setTimeout(() => reject(new Error('the stalled watch was not closed by the server')), 30_000);
      stalled.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stalled.on('error', () => undefined);
      stalled.on('close', () => {
        clearTimeout(timer);
        resolve(bytes);
      });
      stalled.resume();
    });
    assert.ok(received < configMaps * dataBytes, `the stalled watcher got ${received} bytes, less than the ${configMaps * dataBytes} of the flood`);
  });
});
