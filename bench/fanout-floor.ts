// The watch fan-out's floor: a bare HTTPS server with the API server's own certificate that sends
// each watcher the same bytes the API server sent it (one line per pod, as long as the server's),
// chunked, in writes of 64 KiB with one in flight per connection, and nothing else: no storage,
// no encoding, no API. Run as a child process, as the server is, and read by the same receiving
// worker; the time it takes is what moving those bytes through TLS costs on this machine.
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** What the parent sends: the line template and counts, then `start`. */
export type FloorCommand =
  | {
      readonly kind: 'prepare';
      readonly tlsDir: string;
      readonly watchers: number;
      readonly pods: number;
      readonly namePrefix: string;
      readonly lineBytes: number;
    }
  | { readonly kind: 'start' };

export type FloorMessage =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'opened'; readonly watchers: number }
  | { readonly kind: 'written'; readonly ms: number };

const writeBytes = 64 * 1024;

function send(message: FloorMessage): void {
  process.send?.(message);
}

/** Every pod's line, padded to the API server's line length, in pod order. */
function podLines(pods: number, namePrefix: string, lineBytes: number): Buffer {
  const lines: Buffer[] = [];
  for (let n = 0; n < pods; n++) {
    const head = `{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"${namePrefix}${n}","pad":"`;
    const tail = '"}}}\n';
    lines.push(Buffer.from(head + 'x'.repeat(Math.max(0, lineBytes - head.length - tail.length)) + tail));
  }
  return Buffer.concat(lines);
}

/** Writes `bytes` to `res` a budget at a time, the next write once the connection took the last. */
function writeAll(res: ServerResponse, bytes: Buffer, done: () => void): void {
  let offset = 0;
  const next = (): void => {
    if (offset >= bytes.length || res.destroyed) return done();
    const part = bytes.subarray(offset, offset + writeBytes);
    offset += part.length;
    res.write(part, (error: Error | null | undefined) => (error ? done() : next()));
  };
  next();
}

process.once('message', (prepare: FloorCommand) => {
  if (prepare.kind !== 'prepare') throw new Error('the floor expects prepare first');
  const lines = podLines(prepare.pods, prepare.namePrefix, prepare.lineBytes);
  const responses: ServerResponse[] = [];
  const server = createServer(
    { cert: readFileSync(path.join(prepare.tlsDir, 'serving.crt')), key: readFileSync(path.join(prepare.tlsDir, 'serving.key')) },
    (req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      responses.push(res);
      if (responses.length === prepare.watchers) send({ kind: 'opened', watchers: responses.length });
    },
  );
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    send({ kind: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', (command: FloorCommand) => {
    if (command.kind !== 'start') return;
    const startedAt = performance.now();
    let left = responses.length;
    for (const res of responses)
      writeAll(res, lines, () => {
        if (--left === 0) send({ kind: 'written', ms: performance.now() - startedAt });
      });
  });
  process.on('disconnect', () => process.exit(0));
});
