// The sending side of one watch response, as kube-apiserver's per-watcher input buffer: items wait
// in a queue bounded in bytes and are encoded and written only while the client's connection takes
// them, so a watcher that stops reading costs neither unbounded memory nor event-loop time. One
// that falls further behind than the bound is closed, and its client watches again from the last
// version it saw ("Forcing watcher close due to unresponsiveness" in kube's cacher).
import type { ServerResponse } from 'node:http';
import { log } from '../../log/index.js';

export interface WatchStreamOptions<T> {
  /** The bytes of one item, asked for when the connection has room for them. */
  readonly encode: (item: T) => Buffer;
  /** About how many bytes an item becomes once encoded: the queue's bound counts these. */
  readonly sizeOf: (item: T) => number;
  /** Queued bytes past which the client counts as unresponsive and the watch is closed. */
  readonly maxQueuedBytes?: number;
  /** What the log says the watch is of, when it is closed for not reading. */
  readonly describe: string;
  /** Called once, when the stream ends for whatever reason (timeout, client gone, overflow). */
  readonly onEnd: () => void;
}

/** The default bound: as much as a watch could buffer before the queue existed. */
export const defaultMaxQueuedBytes = 16 * 1024 * 1024;
/**
 * Bytes handed to the connection per turn of the event loop: enough for large writes, small enough
 * that thousands of watchers buffer little each inside the socket (which copies what it encrypts).
 */
const writeBudget = 64 * 1024;
/** How long an unresponsive client has to take the end of its response before the socket goes. */
const closeGraceMs = 10_000;

export class WatchStream<T> {
  private queue: T[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** Items that go before the queue, pulled as the connection takes them: the initial list, a replay. */
  private backlog: Iterator<T> | undefined;
  private flushScheduled = false;
  private ended = false;
  private readonly maxQueuedBytes: number;
  private readonly onDrain = (): void => this.flush();

  constructor(
    private readonly res: ServerResponse,
    private readonly options: WatchStreamOptions<T>,
  ) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? defaultMaxQueuedBytes;
    res.on('drain', this.onDrain);
    res.once('close', () => this.end());
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Sends `items` before anything queued, encoding each only when the connection has room for it. */
  startWith(items: Iterable<T>): void {
    if (this.ended) return;
    this.backlog = items[Symbol.iterator]();
    this.flush();
  }

  /** Queues one item; the caller flushes after a batch. Closes the watch when the bound is passed. */
  push(item: T): void {
    if (this.ended) return;
    this.queue.push(item);
    this.queuedBytes += this.options.sizeOf(item);
    if (this.queuedBytes > this.maxQueuedBytes) {
      this.flush();
      if (this.queuedBytes > this.maxQueuedBytes) this.closeUnresponsive();
    }
  }

  /** Writes what the connection takes now; the rest waits for it to drain. */
  flush(): void {
    if (this.ended || this.res.writableNeedDrain) return;
    const res = this.res;
    const parts: Buffer[] = [];
    let bytes = 0;
    while (bytes < writeBudget) {
      const item = this.next();
      if (item === undefined) break;
      const part = this.options.encode(item);
      parts.push(part);
      bytes += part.length;
    }
    if (bytes === 0) return;
    // One HTTP chunk, written (and encrypted) now rather than on the next tick: a write per
    // event would cost the stream machinery four writes each, the chunk framing included.
    res.cork();
    res.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes));
    res.uncork();
    // A full connection says so with 'drain' later; one that took everything gets the rest next turn.
    if (!this.ended && bytes >= writeBudget && !res.writableNeedDrain && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Stops the stream: nothing queued is written; the response ends after what was. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.backlog = undefined;
    this.res.off('drain', this.onDrain);
    if (!this.res.writableEnded) this.res.end();
    this.options.onEnd();
  }

  private next(): T | undefined {
    if (this.backlog) {
      const pulled = this.backlog.next();
      if (!pulled.done) return pulled.value;
      this.backlog = undefined;
    }
    if (this.head >= this.queue.length) return undefined;
    const item = this.queue[this.head]!;
    this.head++;
    this.queuedBytes -= this.options.sizeOf(item);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private closeUnresponsive(): void {
    log.v(1, 'Forcing watch close: the client does not read fast enough', {
      watch: this.options.describe,
      queuedBytes: this.queuedBytes,
      socketBytes: this.res.writableLength,
    });
    const res = this.res;
    this.end();
    // The end of the response waits behind what the client has not read; a client that never
    // reads again must not hold its socket's buffers for ever.
    if (!res.writableFinished) {
      const timer = setTimeout(() => res.destroy(), closeGraceMs);
      timer.unref();
      res.once('close', () => clearTimeout(timer));
    }
  }
}
