// In-process fan-out of a backend's writes to its watchers: each watcher first gets the history
// it asked for, then every later matching event, in revision order, batched per event-loop turn.
import type { WatchEvent, Watcher } from './backend.js';

type DeliverEvents = (events: readonly WatchEvent[]) => void;

interface HubWatcher {
  readonly prefix: string;
  readonly afterRevision: number;
  readonly onEvents: DeliverEvents;
  pending: WatchEvent[];
  closed: boolean;
}

export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();
  private flushScheduled = false;

  /**
   * Registers a watcher whose first batch is `history` (events already written, oldest first).
   * The caller reads that history synchronously before calling, so no write can fall between
   * the history and the live events that publish() queues from now on.
   */
  add(
    prefix: string,
    afterRevision: number,
    history: readonly WatchEvent[],
    onEvents: DeliverEvents,
  ): Watcher {
    const watcher: HubWatcher = { prefix, afterRevision, onEvents, pending: [...history], closed: false };
    this.watchers.add(watcher);
    if (watcher.pending.length > 0) this.scheduleFlush();
    return {
      close: () => {
        watcher.closed = true;
        watcher.pending = [];
        this.watchers.delete(watcher);
      },
    };
  }

  /** Queues one committed write for every watcher whose prefix matches its key. */
  publish(event: WatchEvent): void {
    for (const watcher of this.watchers) {
      if (event.revision > watcher.afterRevision && event.kv.key.startsWith(watcher.prefix)) {
        watcher.pending.push(event);
      }
    }
    this.scheduleFlush();
  }

  /** Drops every watcher; used when the backend closes. */
  closeAll(): void {
    for (const watcher of this.watchers) {
      watcher.closed = true;
      watcher.pending = [];
    }
    this.watchers.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate rather than a microtask: a caller awaiting many writes in a row gets them
    // delivered as one batch instead of one callback per write.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const failures: unknown[] = [];
    for (const watcher of [...this.watchers]) {
      if (watcher.closed || watcher.pending.length === 0) continue;
      const batch = watcher.pending;
      watcher.pending = [];
      try {
        watcher.onEvents(batch);
      } catch (error: unknown) {
        failures.push(error);
      }
    }
    // A throwing watcher must not starve the others; its error still surfaces as uncaught.
    for (const error of failures) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
