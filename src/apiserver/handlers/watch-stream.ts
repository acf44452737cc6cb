// The sending side of one watch response, as kube-apiserver's per-watcher input buffer: items wait
// in a queue bounded in bytes and are encoded and written only while the client's connection takes
// them, so a watcher that stops reading costs neither unbounded memory nor event-loop time. One
// that falls further behind than the bound is closed, and its client watches again from the last
// version it saw ("Forcing watcher close due to unresponsiveness" in kube's cacher).
//
// One write is in flight per watch: what arrives meanwhile goes out in the next, larger write, as
// kube's watch server flushes only when its channel is empty. A watch that wrote a moment ago also
// waits out a short window before its next write, so a busy stream sends tens of kilobytes at a
// time instead of an encrypted record per event; an idle one writes at once.
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
const defaultMaxQueuedBytes = 16 * 1024 * 1024;
/**
 * Bytes handed to the connection per turn of the event loop: enough for large writes, small enough
 * that thousands of watchers buffer little each inside the socket (which copies what it encrypts).
 */
const writeBudget = 64 * 1024;
/** How long an unresponsive client has to take the end of its response before the socket goes. */
const closeGraceMs = 10_000;
/** A stream that wrote less than this long ago holds what is queued (under the budget) until then. */
const coalesceMs = 20;

/** Streams holding items until their coalescing window passes, flushed together by one timer. */
const waitingToFlush = new Set<WatchStream<unknown>>();
let flushTimer: NodeJS.Timeout | undefined;

function flushWaiting(): void {
  flushTimer = undefined;
  const streams = [...waitingToFlush];
  waitingToFlush.clear();
  for (const stream of streams) stream.flush();
}

export class WatchStream<T> {
  private queue: T[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** The part of an encoded item the last write had no room for: it goes first in the next. */
  private rest: Buffer | undefined;
  /** Items that go before the queue, pulled as the connection takes them: the initial list, a replay. */
  private backlog: Iterator<T> | undefined;
  private ended = false;
  /** A write handed to the connection and not yet taken by it. */
  private writing = false;
  /** When the last write started (performance.now()), for the coalescing window. */
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private readonly maxQueuedBytes: number;
  private readonly onDrain = (): void => this.flush();
  private readonly onWritten = (error?: Error | null): void => {
    this.writing = false;
    if (!error) this.flush();
  };

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
      this.flush(true);
      if (this.queuedBytes > this.maxQueuedBytes) this.closeUnresponsive();
    }
  }

  /**
   * Writes what the connection takes now, unless a write is still in flight (its end writes the
   * rest) or the stream wrote within the coalescing window and has less than a write's budget
   * queued (the window's end writes it); `now` skips the window.
   */
  flush(now = false): void {
    if (this.ended || this.writing || this.res.writableNeedDrain) return;
    if (!now && this.backlog === undefined && this.queuedBytes < writeBudget && (this.rest !== undefined || this.queue.length > this.head)) {
      const wait = this.lastWriteAt + coalesceMs - performance.now();
      if (wait > 0) {
        waitingToFlush.add(this as WatchStream<unknown>);
        flushTimer ??= setTimeout(flushWaiting, wait);
        return;
      }
    }
    const parts: Buffer[] = [];
    let bytes = 0;
    while (bytes < writeBudget) {
      let part = this.rest;
      this.rest = undefined;
      if (part === undefined) {
        const item = this.next();
        if (item === undefined) break;
        part = this.options.encode(item);
      } else this.queuedBytes -= part.length;
      // A write takes at most the budget: the rest of a large part (a dispatch's lines, shared by
      // many watchers) waits for the next, so each connection holds at most a budget in flight.
      const room = writeBudget - bytes;
      if (part.length > room) {
        this.rest = part.subarray(room);
        this.queuedBytes += this.rest.length;
        part = part.subarray(0, room);
      }
      parts.push(part);
      bytes += part.length;
    }
    if (bytes === 0) return;
    this.writing = true;
    this.lastWriteAt = performance.now();
    // Corked, the parts go to the connection as one write and are encrypted together now, not
    // on the next tick; the last part's callback says when the connection took them all.
    const res = this.res;
    res.cork();
    for (let i = 0; i < parts.length; i++) res.write(parts[i]!, i === parts.length - 1 ? this.onWritten : undefined);
    res.uncork();
  }

  /** Stops the stream: nothing queued is written; the response ends after what was. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    waitingToFlush.delete(this as WatchStream<unknown>);
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.rest = undefined;
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
