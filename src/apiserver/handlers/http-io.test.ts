// Unit tests of request body reading: the size limit, the read deadlines that stop trickling
// clients, and telling a client that hung up from a server fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { ApiError } from '../../api/index.js';
import { isClientAbort, maxBodyBytes, readBody, setBodyDeadlines } from './http-io.js';

function fakeRequest(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  const stream = new PassThrough() as PassThrough & IncomingMessage;
  stream.headers = headers;
  setBodyDeadlines(stream, { totalMs: 300, idleMs: 120 });
  return stream;
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

test('a body that arrives in pieces within the deadlines is read whole', async () => {
  const req = fakeRequest();
  const body = readBody(req);
  for (const piece of ['{"a"', ':', '1}']) {
    req.write(piece);
    await later(40);
  }
  req.end();
  assert.equal((await body).toString(), '{"a":1}');
  // Read again after the end: empty, at once, as before.
  assert.equal((await readBody(req)).length, 0);
});

test('a gap longer than the idle deadline is 408 Timeout', async () => {
  const req = fakeRequest();
  const body = readBody(req);
  req.write('{"a"');
  const err = await rejection(body);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 408);
  assert.equal(err.reason, 'Timeout');
  assert.match(err.message, /nothing arrived for 0\.12s/);
});

test('a body trickled without long gaps still ends at the total deadline', async () => {
  const req = fakeRequest();
  const started = Date.now();
  const body = readBody(req);
  const drip = setInterval(() => req.write('x'), 30);
  try {
    const err = await rejection(body);
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 408);
    assert.match(err.message, /not complete after 0\.3s/);
    assert.ok(Date.now() - started >= 280);
  } finally {
    clearInterval(drip);
  }
});

test('too large bodies are 413, declared or sent', async () => {
  const declared = await rejection(readBody(fakeRequest({ 'content-length': String(maxBodyBytes + 1) })));
  assert.ok(declared instanceof ApiError && declared.code === 413);
  const req = fakeRequest();
  const body = readBody(req);
  req.write(Buffer.alloc(maxBodyBytes + 1));
  const sent = await rejection(body);
  assert.ok(sent instanceof ApiError && sent.code === 413);
});

test('a client that goes away mid-body is a client abort, not a server fault', async () => {
  const req = fakeRequest();
  const body = readBody(req);
  req.write('{"a"');
  req.destroy();
  const err = await rejection(body);
  assert.ok(isClientAbort(err));
  assert.ok(isClientAbort(await rejection(readBody(req))), 'a request already gone');
  for (const code of ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']) {
    assert.ok(isClientAbort(Object.assign(new Error('x'), { code })), code);
  }
  assert.ok(isClientAbort(new Error('aborted')));
  assert.ok(!isClientAbort(new Error('boom')));
  assert.ok(!isClientAbort(ApiError.badRequest('aborted?')));
  assert.ok(!isClientAbort('aborted'));
});
