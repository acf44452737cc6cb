// The subset of etcd's v3 gRPC API the etcd backend speaks (KV, Watch, Maintenance.Status), as a
// protobufjs JSON namespace so it ships inside dist/ with no .proto file. Field numbers follow
// etcd's published etcdserverpb/rpc.proto and mvccpb/kv.proto; everything unused is left out.
import type { fromJSON } from '@grpc/proto-loader';

type INamespace = Parameters<typeof fromJSON>[0];

type Fields = Record<string, { type: string; id: number; rule?: 'repeated' }>;

const message = (fields: Fields, oneofs?: Record<string, { oneof: string[] }>) => (oneofs ? { fields, oneofs } : { fields });

const header = { type: 'ResponseHeader', id: 1 };

const rpc = (requestType: string, responseType: string, streaming = false) => ({
  requestType,
  responseType,
  requestStream: streaming,
  responseStream: streaming,
  comment: '',
});

export const etcdProto: INamespace = {
  nested: {
    mvccpb: {
      nested: {
        KeyValue: message({
          key: { type: 'bytes', id: 1 },
          create_revision: { type: 'int64', id: 2 },
          mod_revision: { type: 'int64', id: 3 },
          version: { type: 'int64', id: 4 },
          value: { type: 'bytes', id: 5 },
          lease: { type: 'int64', id: 6 },
        }),
        Event: {
          fields: {
            type: { type: 'EventType', id: 1 },
            kv: { type: 'KeyValue', id: 2 },
            prev_kv: { type: 'KeyValue', id: 3 },
          },
          nested: { EventType: { values: { PUT: 0, DELETE: 1 } } },
        },
      },
    },
    etcdserverpb: {
      nested: {
        ResponseHeader: message({
          cluster_id: { type: 'uint64', id: 1 },
          member_id: { type: 'uint64', id: 2 },
          revision: { type: 'int64', id: 3 },
          raft_term: { type: 'uint64', id: 4 },
        }),
        RangeRequest: message({
          key: { type: 'bytes', id: 1 },
          range_end: { type: 'bytes', id: 2 },
          limit: { type: 'int64', id: 3 },
          revision: { type: 'int64', id: 4 },
          serializable: { type: 'bool', id: 7 },
          keys_only: { type: 'bool', id: 8 },
          count_only: { type: 'bool', id: 9 },
        }),
        RangeResponse: message({
          header,
          kvs: { type: 'mvccpb.KeyValue', id: 2, rule: 'repeated' },
          more: { type: 'bool', id: 3 },
          count: { type: 'int64', id: 4 },
        }),
        PutRequest: message({
          key: { type: 'bytes', id: 1 },
          value: { type: 'bytes', id: 2 },
          lease: { type: 'int64', id: 3 },
          prev_kv: { type: 'bool', id: 4 },
        }),
        PutResponse: message({ header, prev_kv: { type: 'mvccpb.KeyValue', id: 2 } }),
        DeleteRangeRequest: message({
          key: { type: 'bytes', id: 1 },
          range_end: { type: 'bytes', id: 2 },
          prev_kv: { type: 'bool', id: 3 },
        }),
        DeleteRangeResponse: message({
          header,
          deleted: { type: 'int64', id: 2 },
          prev_kvs: { type: 'mvccpb.KeyValue', id: 3, rule: 'repeated' },
        }),
        RequestOp: message(
          {
            request_range: { type: 'RangeRequest', id: 1 },
            request_put: { type: 'PutRequest', id: 2 },
            request_delete_range: { type: 'DeleteRangeRequest', id: 3 },
          },
          { request: { oneof: ['request_range', 'request_put', 'request_delete_range'] } },
        ),
        ResponseOp: message(
          {
            response_range: { type: 'RangeResponse', id: 1 },
            response_put: { type: 'PutResponse', id: 2 },
            response_delete_range: { type: 'DeleteRangeResponse', id: 3 },
          },
          { response: { oneof: ['response_range', 'response_put', 'response_delete_range'] } },
        ),
        Compare: {
          fields: {
            result: { type: 'CompareResult', id: 1 },
            target: { type: 'CompareTarget', id: 2 },
            key: { type: 'bytes', id: 3 },
            version: { type: 'int64', id: 4 },
            create_revision: { type: 'int64', id: 5 },
            mod_revision: { type: 'int64', id: 6 },
            value: { type: 'bytes', id: 7 },
          },
          oneofs: { target_union: { oneof: ['version', 'create_revision', 'mod_revision', 'value'] } },
          nested: {
            CompareResult: { values: { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } },
            CompareTarget: { values: { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3 } },
          },
        },
        TxnRequest: message({
          compare: { type: 'Compare', id: 1, rule: 'repeated' },
          success: { type: 'RequestOp', id: 2, rule: 'repeated' },
          failure: { type: 'RequestOp', id: 3, rule: 'repeated' },
        }),
        TxnResponse: message({
          header,
          succeeded: { type: 'bool', id: 2 },
          responses: { type: 'ResponseOp', id: 3, rule: 'repeated' },
        }),
        CompactionRequest: message({ revision: { type: 'int64', id: 1 }, physical: { type: 'bool', id: 2 } }),
        CompactionResponse: message({ header }),
        WatchRequest: message(
          {
            create_request: { type: 'WatchCreateRequest', id: 1 },
            cancel_request: { type: 'WatchCancelRequest', id: 2 },
            progress_request: { type: 'WatchProgressRequest', id: 3 },
          },
          { request_union: { oneof: ['create_request', 'cancel_request', 'progress_request'] } },
        ),
        WatchCreateRequest: message({
          key: { type: 'bytes', id: 1 },
          range_end: { type: 'bytes', id: 2 },
          start_revision: { type: 'int64', id: 3 },
          progress_notify: { type: 'bool', id: 4 },
          prev_kv: { type: 'bool', id: 6 },
          watch_id: { type: 'int64', id: 7 },
        }),
        WatchCancelRequest: message({ watch_id: { type: 'int64', id: 1 } }),
        WatchProgressRequest: message({}),
        WatchResponse: message({
          header,
          watch_id: { type: 'int64', id: 2 },
          created: { type: 'bool', id: 3 },
          canceled: { type: 'bool', id: 4 },
          compact_revision: { type: 'int64', id: 5 },
          cancel_reason: { type: 'string', id: 6 },
          events: { type: 'mvccpb.Event', id: 11, rule: 'repeated' },
        }),
        StatusRequest: message({}),
        StatusResponse: message({
          header,
          version: { type: 'string', id: 2 },
          dbSize: { type: 'int64', id: 3 },
          leader: { type: 'uint64', id: 4 },
          errors: { type: 'string', id: 8, rule: 'repeated' },
        }),
        KV: {
          methods: {
            Range: rpc('RangeRequest', 'RangeResponse'),
            Put: rpc('PutRequest', 'PutResponse'),
            DeleteRange: rpc('DeleteRangeRequest', 'DeleteRangeResponse'),
            Txn: rpc('TxnRequest', 'TxnResponse'),
            Compact: rpc('CompactionRequest', 'CompactionResponse'),
          },
        },
        Watch: {
          methods: {
            Watch: rpc('WatchRequest', 'WatchResponse', true),
          },
        },
        Maintenance: {
          methods: { Status: rpc('StatusRequest', 'StatusResponse') },
        },
      },
    },
  },
};
