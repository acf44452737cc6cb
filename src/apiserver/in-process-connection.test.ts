// In-process connections carry real HTTP/1.1 between an http.Agent and an http.Server: keep-alive
// reuse, large bodies under backpressure, streams that end when either side goes, and the local
// API server's token check exactly as over a socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { createMemoryBackend } from '../storage/index.js';
import { ApiServer } from './apiserver.js';
import { createLocalHttpServer } from './http-server.js';
import { connectInProcess } from './in-process-connection.js';

function agentFor(server: Server): { agent: Agent; opened: () => number } {
  let opened = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  agent.createConnection = () => {
    opened++;
    return connectInProcess(server);
  };
  return { agent, opened: () => opened };
}

function send(agent: Agent, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('requests and 8 MiB bodies both ways over one reused connection', async () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.concat([got, got]));
    });
  });
  const { agent, opened } = agentFor(server);
  try {
    const big = Buffer.alloc(4 * 1024 * 1024, 7);
    const first = await send(agent, 'POST', '/echo', big);
    assert.equal(first.status, 200);
    assert.equal(first.body.length, 2 * big.length);
    assert.ok(first.body.every((b) => b === 7));
    for (let i = 0; i < 20; i++) assert.equal((await send(agent, 'POST', '/echo', Buffer.from(`n${i}`))).body.toString(), `n${i}n${i}`);
    assert.equal(opened(), 1, 'keep-alive reuses the one connection');
  } finally {
    agent.destroy();
    server.closeAllConnections();
  }
});

test('a stream the client stops reading holds the server back, and closing either end ends the other', async () => {
  let serverRes: { write(chunk: Buffer): boolean } | undefined;
  let serverClosed: Promise<void> = Promise.resolve();
  const server = createServer((req, res) => {
    res.writeHead(200);
    res.flushHeaders();
    serverRes = res;
    serverClosed = new Promise((resolve) => res.on('close', () => resolve()));
  });
  const { agent } = agentFor(server);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request({ agent, path: '/watch' }, resolve);
      req.on('error', reject);
      req.end();
    });
    response.pause();
    // Without backpressure every write would be accepted; a paused reader must stop the writer.
    let accepted = 0;
    while (serverRes!.write(Buffer.alloc(64 * 1024)) && accepted < 10_000) accepted++;
    assert.ok(accepted < 1000, `writer was never held back (${accepted} chunks accepted)`);
    let received = 0;
    response.on('data', (c: Buffer) => (received += c.length));
    const ended = new Promise<void>((resolve) => response.on('close', () => resolve()));
    response.resume();
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(received >= accepted * 64 * 1024, 'the held-back data arrives once the reader resumes');
    response.destroy();
    await serverClosed;
    await ended;
  } finally {
    agent.destroy();
    server.closeAllConnections();
  }
});

test('the local API server behind it still wants the admin token', async () => {
  const backend = createMemoryBackend();
  const api = await ApiServer.start({
    backend,
    serviceCidr: '10.96.0.0/12',
    nodePortRange: { min: 30000, max: 32767 },
    advertiseAddress: '127.0.0.1',
    securePort: 6443,
  });
  const server = createLocalHttpServer({ api, adminToken: 'secret-token', bindAddress: '127.0.0.1', port: 6443 });
  const { agent } = agentFor(server);
  try {
    const anonymous = await send(agent, 'GET', '/api/v1/namespaces/default');
    assert.equal(anonymous.status, 401);
    assert.equal((JSON.parse(anonymous.body.toString()) as { reason?: string }).reason, 'Unauthorized');
    const admin = await send(agent, 'GET', '/api/v1/namespaces/default', undefined, { authorization: 'Bearer secret-token' });
    assert.equal(admin.status, 200, admin.body.toString());
    assert.equal((JSON.parse(admin.body.toString()) as { metadata: { name: string } }).metadata.name, 'default');
  } finally {
    agent.destroy();
    server.closeAllConnections();
    api.close();
    await backend.close();
  }
});
