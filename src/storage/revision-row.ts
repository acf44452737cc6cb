// One entry of a backend's append-only revision log, and how it reads back as a watch event.
// Both the SQLite table and the in-memory log store these rows, so replayed history and live
// events are built by the same code.
import type { KeyValue, WatchEvent } from './backend.js';

export interface RevisionRow {
  readonly revision: number;
  readonly key: string;
  /** The row (re)creates the key: there is no previous value to report. */
  readonly created: boolean;
  /** The row is a tombstone; `value` then holds the last value the key had. */
  readonly deleted: boolean;
  readonly createRevision: number;
  /** Revision of the key's previous row (0 for a first create). */
  readonly prevRevision: number;
  readonly value: string;
  /** The value of the previous row; kept here because compaction may remove that row. */
  readonly oldValue: string | null;
}

export function revisionRowToEvent(row: RevisionRow): WatchEvent {
  const kv: KeyValue = {
    key: row.key,
    value: row.value,
    createRevision: row.createRevision,
    modRevision: row.revision,
  };
  const type = row.deleted ? 'delete' : 'put';
  if (row.created || row.oldValue === null) {
    return { type, kv, revision: row.revision };
  }
  const prevKv: KeyValue = {
    key: row.key,
    value: row.oldValue,
    createRevision: row.createRevision,
    modRevision: row.prevRevision,
  };
  return { type, kv, prevKv, revision: row.revision };
}
