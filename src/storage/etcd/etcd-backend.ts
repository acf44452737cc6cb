// StorageBackend on etcd v3, with kube-apiserver's etcd3 store semantics: creates and
// conditional updates/deletes are transactions on mod_revision, lists are ranges read at one
// revision, watches stream from a revision with prev_kv; keys are stored exactly as given.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  StorageError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type StorageBackend,
  type WatchEvent,
  type Watcher,
} from '../backend.js';
import { EtcdClient, type EtcdKeyValue, type EtcdWatchResponse } from './etcd-client.js';
import { startEtcdCompactor } from './etcd-compactor.js';

export interface EtcdBackendOptions {
  /** gRPC targets (host:port), tried in order and failed over. */
  readonly endpoints: readonly string[];
  /** Told about a watch stream that broke and is being resumed, or that cannot resume. */
  readonly onWatchError?: (error: Error) => void;
}

const COMPACTED = 'mvcc: required revision has been compacted';
const FUTURE = 'mvcc: required revision is a future revision';
const WATCH_RETRY_MS = 500;

/** The smallest key greater than every key starting with `prefix`. */
function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

function toKeyValue(kv: EtcdKeyValue): KeyValue {
  return { key: kv.key.toString(), value: kv.value.toString(), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
}

function grpcDetails(error: unknown): string {
  return typeof error === 'object' && error !== null && 'details' in error ? String(error.details) : String(error);
}

export class EtcdBackend implements StorageBackend {
  readonly name = 'etcd';
  private closed = false;
  /** The newest compaction this process knows of; the watch contract needs it synchronously. */
  private knownCompacted = 0;
  private readonly watchers = new Set<Watcher>();

  private constructor(
    private readonly client: EtcdClient,
    private readonly options: EtcdBackendOptions,
  ) {}

  /** Connects and checks an endpoint answers, so a wrong address fails at start, not on first use. */
  static async open(options: EtcdBackendOptions): Promise<EtcdBackend> {
    const client = new EtcdClient(options.endpoints);
    try {
      await client.status(3000);
      const backend = new EtcdBackend(client, options);
      await backend.compactRevision();
      return backend;
    } catch (error: unknown) {
      client.close();
      throw error instanceof StorageError ? error : new StorageError(`etcd at ${options.endpoints.join(', ')}: ${grpcDetails(error)}`);
    }
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const response = await this.guard(() => this.client.range({ key: Buffer.from(key) }));
    const kv = response.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const start = options.startAfter !== undefined ? Buffer.concat([Buffer.from(options.startAfter), Buffer.from([0])]) : Buffer.from(prefix);
    const revision = options.revision ?? 0;
    const response = await this.guard(
      () => this.client.range({ key: start, range_end: prefixEnd(Buffer.from(prefix)), limit: String(options.limit ?? 0), revision: String(revision) }),
      revision,
    );
    const items = response.kvs.map(toKeyValue);
    return { items, revision: revision > 0 ? revision : Number(response.header.revision), remaining: Number(response.count) - items.length };
  }

  async count(prefix: string): Promise<number> {
    const key = Buffer.from(prefix);
    const response = await this.guard(() => this.client.range({ key, range_end: prefixEnd(key), count_only: true }));
    return Number(response.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = Buffer.from(key);
    const response = await this.guard(() =>
      this.client.txn({
        compare: [{ key: k, target: 'MOD', result: 'EQUAL', mod_revision: '0' }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
      }),
    );
    if (!response.succeeded) throw new KeyExistsError(key);
    const revision = Number(response.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const response = await this.guard(() =>
      this.client.txn({
        // The CREATE guard keeps an expected revision of 0 from creating a missing key.
        compare: [
          { key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(expectedModRevision) },
          { key: k, target: 'CREATE', result: 'GREATER', create_revision: '0' },
        ],
        success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!response.succeeded) throw this.preconditionFailure(key, response.responses[0]?.response_range?.kvs[0]);
    const previous = response.responses[0]?.response_put?.prev_kv;
    const revision = Number(response.header.revision);
    return { key, value, createRevision: previous ? Number(previous.create_revision) : revision, modRevision: revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const compare =
      expectedModRevision === undefined
        ? { key: k, target: 'CREATE', result: 'GREATER', create_revision: '0' }
        : { key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(expectedModRevision) };
    const response = await this.guard(() =>
      this.client.txn({
        compare: [compare, { key: k, target: 'CREATE', result: 'GREATER', create_revision: '0' }],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!response.succeeded) throw this.preconditionFailure(key, response.responses[0]?.response_range?.kvs[0]);
    const previous = response.responses[0]?.response_delete_range?.prev_kvs[0];
    // Another writer deleted the key between the compare and the delete cannot happen in one
    // transaction, so a successful delete always carries the previous value.
    if (!previous) throw new KeyNotFoundError(key);
    return { ...toKeyValue(previous), modRevision: Number(response.header.revision) };
  }

  watch(prefix: string, afterRevision: number, onEvents: (events: readonly WatchEvent[]) => void): Watcher {
    if (this.closed) throw new StorageError('storage backend is closed');
    if (afterRevision < this.knownCompacted) throw new CompactedError(afterRevision, this.knownCompacted);
    const watcher = new EtcdWatch(
      this.client,
      Buffer.from(prefix),
      afterRevision,
      onEvents,
      (error) => this.onWatchFailure(error),
      () => this.watchers.delete(watcher),
    );
    this.watchers.add(watcher);
    return watcher;
  }

  async currentRevision(): Promise<number> {
    const response = await this.guard(() => this.client.range({ key: Buffer.from([0]), count_only: true }));
    return Number(response.header.revision);
  }

  /**
   * etcd does not report its compacted revision, but a read below it fails: the compacted
   * revision is the oldest one still readable, found by bisection from the last one known.
   */
  async compactRevision(): Promise<number> {
    const current = await this.currentRevision();
    const readable = async (revision: number): Promise<boolean> => {
      try {
        await this.client.range({ key: Buffer.from([0]), count_only: true, revision: String(revision) });
        return true;
      } catch (error: unknown) {
        if (grpcDetails(error).includes(COMPACTED)) return false;
        throw error;
      }
    };
    let low = Math.max(this.knownCompacted, 1);
    if (await readable(low)) {
      this.knownCompacted = low === 1 ? this.knownCompacted : low;
      return this.knownCompacted;
    }
    let high = current;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await readable(middle)) high = middle;
      else low = middle;
    }
    this.knownCompacted = high;
    return high;
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.knownCompacted) return;
    try {
      await this.guard(() => this.client.compact(revision));
      this.knownCompacted = revision;
    } catch (error: unknown) {
      // Someone compacted past this revision already: nothing left to do.
      if (error instanceof CompactedError) return;
      throw error;
    }
  }

  /** The revision this store's compaction guard key holds; used by the shared compactor. */
  get etcd(): EtcdClient {
    return this.client;
  }

  /** Several servers may share this etcd: they take turns, as kube-apiserver's compactors do. */
  startCompaction(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    return startEtcdCompactor(this, { onError }, signal);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const watcher of [...this.watchers]) watcher.close();
    this.client.close();
    return Promise.resolve();
  }

  private preconditionFailure(key: string, current: EtcdKeyValue | undefined): StorageError {
    return current ? new ConflictError(key, Number(current.mod_revision)) : new KeyNotFoundError(key);
  }

  private onWatchFailure(error: Error): void {
    if (error instanceof CompactedError) this.knownCompacted = Math.max(this.knownCompacted, error.compacted);
    this.options.onWatchError?.(error);
  }

  /** Runs one call, turning etcd's revision errors into the contract's errors. */
  private async guard<T>(call: () => Promise<T>, requestedRevision = 0): Promise<T> {
    if (this.closed) throw new StorageError('storage backend is closed');
    try {
      return await call();
    } catch (error: unknown) {
      if (error instanceof StorageError) throw error;
      const details = grpcDetails(error);
      if (details.includes(COMPACTED)) {
        const compacted = await this.compactRevision();
        throw new CompactedError(requestedRevision, compacted);
      }
      if (details.includes(FUTURE)) throw new StorageError(`required revision ${requestedRevision} is a future revision`);
      throw new StorageError(`etcd: ${details}`);
    }
  }
}

/** One etcd watch that resumes after its last delivered revision when its stream breaks. */
class EtcdWatch implements Watcher {
  private stream: ClientDuplexStream<object, EtcdWatchResponse> | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: EtcdClient,
    private readonly prefix: Buffer,
    /** Every event up to this revision has been delivered. */
    private delivered: number,
    private readonly onEvents: (events: readonly WatchEvent[]) => void,
    private readonly onFailure: (error: Error) => void,
    private readonly onClose: () => void,
  ) {
    this.connect();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    this.stream?.cancel();
    this.onClose();
  }

  private connect(): void {
    const stream = this.client.openWatchStream();
    this.stream = stream;
    stream.on('data', (response: EtcdWatchResponse) => this.onResponse(response));
    stream.on('error', (error: Error) => this.onBroken(stream, error));
    stream.on('end', () => this.onBroken(stream, new StorageError('etcd closed the watch stream')));
    stream.write({
      create_request: {
        key: this.prefix,
        range_end: prefixEnd(this.prefix),
        start_revision: String(this.delivered + 1),
        progress_notify: true,
        prev_kv: true,
      },
    });
  }

  private onResponse(response: EtcdWatchResponse): void {
    if (this.closed) return;
    const compacted = Number(response.compact_revision);
    if (compacted > 0) {
      this.close();
      this.onFailure(new CompactedError(this.delivered, compacted));
      return;
    }
    if (response.canceled) {
      this.close();
      this.onFailure(new StorageError(`etcd canceled the watch: ${response.cancel_reason}`));
      return;
    }
    const events: WatchEvent[] = [];
    for (const event of response.events) {
      if (!event.kv) continue;
      const prevKv = event.prev_kv ? toKeyValue(event.prev_kv) : undefined;
      const revision = Number(event.kv.mod_revision);
      if (revision <= this.delivered) continue;
      if (event.type === 'PUT') {
        events.push(prevKv ? { type: 'put', kv: toKeyValue(event.kv), prevKv, revision } : { type: 'put', kv: toKeyValue(event.kv), revision });
      } else {
        const kv = { key: event.kv.key.toString(), value: prevKv?.value ?? '', createRevision: prevKv?.createRevision ?? 0, modRevision: revision };
        events.push(prevKv ? { type: 'delete', kv, prevKv, revision } : { type: 'delete', kv, revision });
      }
    }
    if (events.length === 0) return;
    this.delivered = events[events.length - 1]!.revision;
    this.onEvents(events);
  }

  private onBroken(stream: ClientDuplexStream<object, EtcdWatchResponse>, error: Error): void {
    if (this.closed || stream !== this.stream) return;
    this.stream = undefined;
    this.onFailure(new StorageError(`etcd watch stream broke, resuming after revision ${this.delivered}: ${grpcDetails(error)}`));
    this.client.failover();
    this.retry = setTimeout(() => {
      if (!this.closed) this.connect();
    }, WATCH_RETRY_MS);
  }
}
