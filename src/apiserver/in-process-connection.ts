// Connections from this process's own components to its local API server without a socket: two
// Duplex streams joined back to back, handed to the HTTP server as a connection (Node's http.Server
// takes any Duplex) and to the client's agent as its socket. Requests, responses and watches are
// the same HTTP/1.1 bytes a socket would carry, through the same server code; what goes is the
// kernel: two system calls per message and a poll wake-up on each side.
import type { Server } from 'node:http';
import { Duplex } from 'node:stream';

class InProcessSocket extends Duplex {
  peer: InProcessSocket | undefined;
  /** The peer's write callback, held while this side's read buffer is full (backpressure). */
  private blockedWriter: (() => void) | undefined;
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly localAddress = '127.0.0.1';
  readonly localPort = 0;
  connecting = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed) {
      callback(new Error('in-process connection closed'));
      return;
    }
    if (peer.push(chunk)) callback();
    else peer.blockedWriter = () => callback();
  }

  override _read(): void {
    const resume = this.blockedWriter;
    this.blockedWriter = undefined;
    resume?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer && !peer.destroyed) {
      peer.peer = undefined;
      // The other end sees the connection end as a socket's peer would see it closed.
      peer.push(null);
      peer.destroy();
    }
    callback(error);
  }

  // What http.Agent and http.Server ask of a net.Socket; there is no kernel socket to tune, and an
  // idle in-process connection costs nothing worth timing out.
  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setTimeout(_ms: number, callback?: () => void): this {
    if (callback) this.once('timeout', callback);
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

/** Opens a connection to `server` inside this process and returns the client's end. */
export function connectInProcess(server: Server): Duplex {
  const client = new InProcessSocket();
  const serverSide = new InProcessSocket();
  client.peer = serverSide;
  serverSide.peer = client;
  server.emit('connection', serverSide);
  return client;
}
