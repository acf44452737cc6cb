// Slow and silent clients for the hostile-input suite, on raw TCP and TLS sockets: connections that
// never shake hands, trickle their headers (slowloris), stall or trickle their body, or send a body
// without credentials. Each reports how long the server took to close it, so the suite can check
// that every one is cut off by its deadline and none is held for ever.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { TlsCredentials } from '../support/index.js';
import type { Random } from './random.js';

export type SlowKind = 'no-handshake' | 'slow-headers' | 'silent-body' | 'trickled-body' | 'unauthenticated-body';
export const slowKinds: readonly SlowKind[] = ['no-handshake', 'slow-headers', 'silent-body', 'trickled-body', 'unauthenticated-body'];

export interface SlowResult {
  readonly kind: SlowKind;
  /** Milliseconds from the first byte (or the connect) until the server closed the connection; undefined when it did not within the limit. */
  readonly closedAfterMs: number | undefined;
  /** The status line the server sent, if any. */
  readonly statusLine: string;
}

/** Opens one slow client of `kind` and waits (at most `limitMs`) for the server to close it. */
export function slowClient(creds: TlsCredentials, kind: SlowKind, rng: Random, limitMs: number): Promise<SlowResult> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let received = '';
    let started = performance.now();
    let done = false;
    let socket: Socket | TLSSocket;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      resolve({ kind, closedAfterMs: closed ? performance.now() - started : undefined, statusLine: received.split('\r\n')[0] ?? '' });
    };
    const trickle = (text: string, everyMs: number) => {
      let i = 0;
      const t = setInterval(() => {
        if (i >= text.length || socket.destroyed) return;
        socket.write(text[i++]!);
      }, everyMs);
      timers.push(t);
    };
    const path = rng.pick(['/api/v1/namespaces/default/configmaps', '/api/v1/namespaces', '/apis/apps/v1/namespaces/default/deployments']);
    const head = (length: number) => `POST ${path} HTTP/1.1\r\nHost: ${creds.host}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `slow-${rng.word(6)}` }, data: { a: 'x'.repeat(200) } });
    if (kind === 'no-handshake') {
      socket = tcpConnect({ host: creds.host, port: creds.port });
    } else {
      const authenticated = kind !== 'unauthenticated-body';
      socket = tlsConnect({
        host: creds.host,
        port: creds.port,
        ca: creds.ca,
        servername: 'localhost',
        ...(authenticated ? { cert: creds.cert, key: creds.key } : {}),
        rejectUnauthorized: false,
      });
      socket.once('secureConnect', () => {
        started = performance.now();
        switch (kind) {
          case 'slow-headers':
            trickle(head(body.length), 150 + rng.int(300));
            break;
          case 'silent-body':
            socket.write(head(body.length) + body.slice(0, rng.int(body.length)));
            break;
          case 'trickled-body':
            socket.write(head(body.length));
            trickle(body, 100 + rng.int(200));
            break;
          case 'unauthenticated-body':
            socket.write(head(body.length * 1000) + body);
            break;
        }
      });
    }
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('end', () => finish(true));
    socket.on('error', () => finish(true));
    timers.push(setTimeout(() => finish(false), limitMs));
  });
}
