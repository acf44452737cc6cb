// A small gRPC client for etcd's v3 API over plain-text HTTP/2: unary KV and Maintenance calls
// that fail over across the configured endpoints, and raw Watch streams for the backend to drive.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { StorageError } from '../backend.js';
import { etcdProto } from './etcd-proto.js';

export interface EtcdKeyValue {
  key: Buffer;
  create_revision: string;
  mod_revision: string;
  version: string;
  value: Buffer;
}
export interface EtcdHeader {
  revision: string;
}
export interface EtcdRangeResponse {
  header: EtcdHeader;
  kvs: EtcdKeyValue[];
  more: boolean;
  count: string;
}
export interface EtcdTxnResponse {
  header: EtcdHeader;
  succeeded: boolean;
  responses: {
    response?: 'response_range' | 'response_put' | 'response_delete_range';
    response_range?: EtcdRangeResponse;
    response_put?: { header: EtcdHeader; prev_kv: EtcdKeyValue | null };
    response_delete_range?: { header: EtcdHeader; deleted: string; prev_kvs: EtcdKeyValue[] };
  }[];
}
export interface EtcdWatchResponse {
  header: EtcdHeader;
  watch_id: string;
  created: boolean;
  canceled: boolean;
  compact_revision: string;
  cancel_reason: string;
  events: { type: 'PUT' | 'DELETE'; kv: EtcdKeyValue | null; prev_kv: EtcdKeyValue | null }[];
}

type Method = 'Range' | 'Put' | 'DeleteRange' | 'Txn' | 'Compact' | 'Status';
type UnaryMethod = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => void;
type ServiceClient = grpc.Client & Record<string, UnaryMethod>;
type ServiceConstructor = new (address: string, credentials: grpc.ChannelCredentials) => ServiceClient;

const definition = grpc.loadPackageDefinition(fromJSON(etcdProto, { longs: String, enums: String, defaults: true, oneofs: true }));
const services = definition['etcdserverpb'] as unknown as Record<'KV' | 'Watch' | 'Maintenance', ServiceConstructor>;

const CALL_TIMEOUT_MS = 10_000;

/** Parses `http://host:port[,http://…]` into gRPC targets; throws a StorageError naming a malformed entry. */
export function parseEndpoints(text: string): string[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length === 0 || entries.some((entry) => entry === '')) throw new StorageError(`malformed etcd endpoint list ${JSON.stringify(text)}`);
  return entries.map((entry) => {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new StorageError(`malformed etcd endpoint ${JSON.stringify(entry)}: not a URL`);
    }
    if (url.protocol !== 'http:') throw new StorageError(`unsupported etcd endpoint ${JSON.stringify(entry)}: only http:// endpoints are supported`);
    if (url.port === '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '') {
      throw new StorageError(`malformed etcd endpoint ${JSON.stringify(entry)}: expected http://HOST:PORT`);
    }
    return url.host;
  });
}

/** The socket error inside grpc-js's wordy "No connection established" text. */
function connectionFailure(details: string): string {
  const match = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/.exec(details);
  return match?.[1] ?? details;
}

interface Connection {
  readonly target: string;
  readonly kv: ServiceClient;
  readonly watch: ServiceClient;
  readonly maintenance: ServiceClient;
}

export class EtcdClient {
  private readonly connections: Connection[];
  /** The endpoint calls go to first; moves on when one becomes unreachable. */
  private current = 0;

  constructor(readonly targets: readonly string[]) {
    const credentials = grpc.credentials.createInsecure();
    this.connections = targets.map((target) => ({
      target,
      kv: new services.KV(target, credentials),
      watch: new services.Watch(target, credentials),
      maintenance: new services.Maintenance(target, credentials),
    }));
  }

  range(request: object): Promise<EtcdRangeResponse> {
    return this.call('kv', 'Range', request) as Promise<EtcdRangeResponse>;
  }
  txn(request: object): Promise<EtcdTxnResponse> {
    return this.call('kv', 'Txn', request) as Promise<EtcdTxnResponse>;
  }
  compact(revision: number): Promise<unknown> {
    return this.call('kv', 'Compact', { revision: String(revision), physical: false });
  }
  status(timeoutMs = CALL_TIMEOUT_MS): Promise<{ header: EtcdHeader; version: string }> {
    return this.call('maintenance', 'Status', {}, timeoutMs) as Promise<{ header: EtcdHeader; version: string }>;
  }

  /** Opens a Watch stream on the current endpoint; the caller moves to the next one with failover(). */
  openWatchStream(): grpc.ClientDuplexStream<object, EtcdWatchResponse> {
    const connection = this.connections[this.current]!;
    return (connection.watch as unknown as { Watch: () => grpc.ClientDuplexStream<object, EtcdWatchResponse> }).Watch();
  }

  failover(): void {
    this.current = (this.current + 1) % this.connections.length;
  }

  close(): void {
    for (const connection of this.connections) {
      connection.kv.close();
      connection.watch.close();
      connection.maintenance.close();
    }
  }

  /** Tries each endpoint once, starting with the current one, while they are unreachable. */
  private async call(service: 'kv' | 'maintenance', method: Method, request: object, timeoutMs = CALL_TIMEOUT_MS): Promise<unknown> {
    let lastError: grpc.ServiceError | undefined;
    for (let attempt = 0; attempt < this.connections.length; attempt++) {
      const connection = this.connections[this.current]!;
      try {
        return await new Promise((resolve, reject) => {
          connection[service][method]!(request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
            error ? reject(error) : resolve(response),
          );
        });
      } catch (error: unknown) {
        const serviceError = error as grpc.ServiceError;
        if (serviceError.code !== grpc.status.UNAVAILABLE && serviceError.code !== grpc.status.DEADLINE_EXCEEDED) throw serviceError;
        lastError = serviceError;
        this.failover();
      }
    }
    throw new StorageError(`etcd unreachable at ${this.targets.join(', ')}: ${lastError ? connectionFailure(lastError.details) : 'no endpoint answered'}`);
  }
}
