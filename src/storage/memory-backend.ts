// An in-memory StorageBackend for unit tests of the layers above storage: the same revision
// log semantics as the SQLite backend (history, compaction, watch replay), kept in arrays and
// maps instead of a file. It passes the same conformance suite; nothing survives close().
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type StorageBackend,
  type WatchEvent,
  type Watcher,
} from './backend.js';
import { assertOpen, compactionDue, resolveReadRevision, runStep } from './backend-guards.js';
import { revisionRowToEvent, type RevisionRow } from './revision-row.js';
import { WatchHub } from './watch-hub.js';
import { startAutoCompaction } from './auto-compaction.js';

export function createMemoryBackend(): StorageBackend {
  return new MemoryBackend();
}

class MemoryBackend implements StorageBackend {
  readonly name = 'memory';
  private readonly hub = new WatchHub();
  /** Every retained row, oldest first. */
  private log: RevisionRow[] = [];
  /** Each key's newest row, tombstones included (a re-create records it as its previous row). */
  private readonly newest = new Map<string, RevisionRow>();
  private revision = 0;
  private compactedAt = 0;
  private closed = false;

  get(key: string): Promise<KeyValue | undefined> {
    return runStep(this.closed, () => {
      const row = this.newest.get(key);
      return row === undefined || row.deleted ? undefined : rowToKeyValue(row);
    });
  }

  list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    return runStep(this.closed, () => {
      const revision = resolveReadRevision(options.revision, this.revision, this.compactedAt);
      const startAfter = options.startAfter;
      const live = [...this.newestAt(revision).values()]
        .filter((row) => !row.deleted && row.key.startsWith(prefix))
        .filter((row) => startAfter === undefined || row.key > startAfter)
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const limit = options.limit !== undefined && options.limit > 0 ? options.limit : live.length;
      const items = live.slice(0, limit).map(rowToKeyValue);
      return { items, revision, remaining: live.length - items.length };
    });
  }

  count(prefix: string): Promise<number> {
    return runStep(this.closed, () => {
      let count = 0;
      for (const row of this.newest.values()) {
        if (!row.deleted && row.key.startsWith(prefix)) count++;
      }
      return count;
    });
  }

  create(key: string, value: string): Promise<KeyValue> {
    return runStep(this.closed, () => {
      const latest = this.newest.get(key);
      if (latest !== undefined && !latest.deleted) throw new KeyExistsError(key);
      const revision = this.revision + 1;
      return this.append({
        revision,
        key,
        created: true,
        deleted: false,
        createRevision: revision,
        prevRevision: latest?.revision ?? 0,
        value,
        oldValue: null,
      });
    });
  }

  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return runStep(this.closed, () => {
      const latest = this.live(key);
      if (latest.revision !== expectedModRevision) throw new ConflictError(key, latest.revision);
      return this.append({
        revision: this.revision + 1,
        key,
        created: false,
        deleted: false,
        createRevision: latest.createRevision,
        prevRevision: latest.revision,
        value,
        oldValue: latest.value,
      });
    });
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return runStep(this.closed, () => {
      const latest = this.live(key);
      if (expectedModRevision !== undefined && latest.revision !== expectedModRevision) {
        throw new ConflictError(key, latest.revision);
      }
      return this.append({
        revision: this.revision + 1,
        key,
        created: false,
        deleted: true,
        createRevision: latest.createRevision,
        prevRevision: latest.revision,
        value: latest.value,
        oldValue: latest.value,
      });
    });
  }

  watch(prefix: string, afterRevision: number, onEvents: (events: readonly WatchEvent[]) => void): Watcher {
    assertOpen(this.closed);
    if (afterRevision < this.compactedAt) throw new CompactedError(afterRevision, this.compactedAt);
    const history = this.log
      .filter((row) => row.revision > afterRevision && row.key.startsWith(prefix))
      .map(revisionRowToEvent);
    return this.hub.add(prefix, afterRevision, history, onEvents);
  }

  currentRevision(): Promise<number> {
    return runStep(this.closed, () => this.revision);
  }

  compactRevision(): Promise<number> {
    return runStep(this.closed, () => this.compactedAt);
  }

  compact(revision: number): Promise<void> {
    return runStep(this.closed, () => {
      if (!compactionDue(revision, this.revision, this.compactedAt)) return;
      const keep = this.newestAt(revision);
      this.log = this.log.filter((row) => {
        if (row.revision > revision) return true;
        return !row.deleted && keep.get(row.key) === row;
      });
      for (const [key, row] of this.newest) {
        if (row.deleted && row.revision <= revision) this.newest.delete(key);
      }
      this.compactedAt = revision;
    });
  }

  startCompaction(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    return startAutoCompaction(this, { onError }, signal);
  }

  close(): Promise<void> {
    this.closed = true;
    this.hub.closeAll();
    return Promise.resolve();
  }

  /** Each key's newest row at or below `revision`. */
  private newestAt(revision: number): Map<string, RevisionRow> {
    if (revision >= this.revision) return this.newest;
    const rows = new Map<string, RevisionRow>();
    for (const row of this.log) {
      if (row.revision > revision) break;
      rows.set(row.key, row);
    }
    return rows;
  }

  private live(key: string): RevisionRow {
    const latest = this.newest.get(key);
    if (latest === undefined || latest.deleted) throw new KeyNotFoundError(key);
    return latest;
  }

  private append(row: RevisionRow): KeyValue {
    this.log.push(row);
    this.newest.set(row.key, row);
    this.revision = row.revision;
    this.hub.publish(revisionRowToEvent(row));
    return rowToKeyValue(row);
  }
}

function rowToKeyValue(row: RevisionRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}
