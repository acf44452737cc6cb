import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { readFields, WireType, type WireField } from '../api/index.js';
import { encodeOpenApiV2Protobuf } from './openapi-v2-protobuf.js';
import { openApiV2Document } from './openapi.js';

/** A decoded message: its fields grouped by number, read through the helpers below. */
class Msg {
  readonly fields: WireField[];
  constructor(bytes: Uint8Array) {
    this.fields = readFields(bytes);
  }
  numbers(): number[] {
    return this.fields.map((f) => f.number);
  }
  all(n: number): Uint8Array[] {
    return this.fields
      .filter((f) => f.number === n)
      .map((f) => {
        assert.equal(f.wireType, WireType.LengthDelimited, `field ${n} is length-delimited`);
        return f.value as Uint8Array;
      });
  }
  msg(n: number): Msg {
    const found = this.all(n);
    assert.equal(found.length, 1, `exactly one field ${n} in [${this.numbers().join(',')}]`);
    return new Msg(found[0]!);
  }
  msgs(n: number): Msg[] {
    return this.all(n).map((b) => new Msg(b));
  }
  str(n: number): string {
    return new TextDecoder().decode(this.msgBytes(n));
  }
  strs(n: number): string[] {
    return this.all(n).map((b) => new TextDecoder().decode(b));
  }
  varint(n: number): bigint {
    const found = this.fields.filter((f) => f.number === n);
    assert.equal(found.length, 1, `exactly one field ${n}`);
    assert.equal(found[0]!.wireType, WireType.Varint);
    return found[0]!.value as bigint;
  }
  has(n: number): boolean {
    return this.fields.some((f) => f.number === n);
  }
  /** The `NamedX` entry with this name, from a repeated field. */
  named(n: number, name: string): Msg {
    const entry = this.msgs(n).find((m) => m.str(1) === name);
    assert.ok(entry, `entry ${name} in field ${n}`);
    return entry.msg(2);
  }
  /** The value of an `Any` (gnostic keeps it as YAML text in field 2). */
  anyYaml(): unknown {
    return yaml.load(this.str(2));
  }
  private msgBytes(n: number): Uint8Array {
    const found = this.all(n);
    assert.equal(found.length, 1, `exactly one field ${n}`);
    return found[0]!;
  }
}

const doc = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.35.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/pods': {
      post: {
        operationId: 'createCoreV1NamespacedPod',
        consumes: ['*/*'],
        produces: ['application/json', 'application/yaml'],
        schemes: ['https'],
        parameters: [
          { name: 'namespace', in: 'path', type: 'string', uniqueItems: true, required: true },
          { name: 'dryRun', in: 'query', type: 'string', uniqueItems: true },
          { name: 'X-Trace', in: 'header', type: 'string' },
          { name: 'file', in: 'formData', type: 'string', allowEmptyValue: true },
          { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } },
          { $ref: '#/parameters/pretty' },
        ],
        responses: {
          '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } },
          '401': { description: 'Unauthorized' },
        },
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Pod' },
      },
    },
  },
  definitions: {
    'io.k8s.api.core.v1.Pod': {
      type: 'object',
      required: ['spec'],
      properties: {
        containers: {
          type: 'array',
          items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-patch-merge-key': 'name',
        },
        labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'granular' },
        closed: { type: 'object', additionalProperties: false },
        restartPolicy: { type: 'string', enum: ['Always', 'Never'] },
        port: { type: 'integer', format: 'int32', minimum: 1, maximum: 65535 },
        immutable: { type: 'boolean', 'x-kubernetes-preserve-unknown-fields': true },
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }],
    },
  },
  securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header' } },
  security: [{ BearerToken: [] }],
};

describe('encodeOpenApiV2Protobuf', () => {
  const root = new Msg(encodeOpenApiV2Protobuf(doc));

  it('writes Document fields in ascending number order', () => {
    assert.deepEqual(root.numbers(), [1, 2, 8, 9, 12, 13]);
    assert.equal(root.str(1), '2.0');
    assert.equal(root.msg(2).str(1), 'Kubernetes');
    assert.equal(root.msg(2).str(2), 'v1.35.0');
  });

  const op = root.msg(8).named(2, '/api/v1/namespaces/{namespace}/pods').msg(4);

  it('nests paths as Paths.path -> NamedPathItem -> PathItem.post -> Operation', () => {
    assert.equal(op.str(5), 'createCoreV1NamespacedPod');
    assert.deepEqual(op.strs(6), ['application/json', 'application/yaml']);
    assert.deepEqual(op.strs(7), ['*/*']);
    assert.deepEqual(op.strs(10), ['https']);
  });

  it('encodes non-body parameters as ParametersItem.parameter -> Parameter.non_body_parameter -> sub-schema', () => {
    const params = op.msgs(8);
    assert.equal(params.length, 6);
    const path = params[0]!.msg(1).msg(2).msg(4);
    assert.equal(path.varint(1), 1n);
    assert.equal(path.str(2), 'path');
    assert.equal(path.str(4), 'namespace');
    assert.equal(path.str(5), 'string');
    assert.equal(path.varint(19), 1n);
    const query = params[1]!.msg(1).msg(2).msg(3);
    assert.equal(query.has(1), false, 'required=false is left out');
    assert.equal(query.str(4), 'dryRun');
    assert.equal(query.str(6), 'string');
    assert.equal(query.varint(20), 1n);
    const headerParam = params[2]!.msg(1).msg(2).msg(1);
    assert.equal(headerParam.str(5), 'string');
    const form = params[3]!.msg(1).msg(2).msg(2);
    assert.equal(form.varint(5), 1n);
    assert.equal(form.str(6), 'string');
  });

  it('encodes body parameters and $ref parameters', () => {
    const params = op.msgs(8);
    const body = params[4]!.msg(1).msg(1);
    assert.equal(body.str(2), 'body');
    assert.equal(body.str(3), 'body');
    assert.equal(body.varint(4), 1n);
    assert.equal(body.msg(5).str(1), '#/definitions/io.k8s.api.core.v1.Pod');
    assert.equal(params[5]!.msg(2).str(1), '#/parameters/pretty');
  });

  it('encodes responses as Responses.response_code -> ResponseValue.response -> SchemaItem.schema', () => {
    const ok = op.msg(9).named(1, '200').msg(1);
    assert.equal(ok.str(1), 'OK');
    assert.equal(ok.msg(2).msg(1).str(1), '#/definitions/io.k8s.api.core.v1.Pod');
    const unauthorized = op.msg(9).named(1, '401').msg(1);
    assert.deepEqual(unauthorized.numbers(), [1]);
  });

  it('keeps vendor extensions as NamedAny with the value as YAML', () => {
    const ext = op.msgs(13);
    assert.deepEqual(
      ext.map((e) => e.str(1)),
      ['x-kubernetes-action', 'x-kubernetes-group-version-kind'],
    );
    assert.equal(ext[0]!.msg(2).anyYaml(), 'post');
    assert.deepEqual(ext[1]!.msg(2).anyYaml(), { group: '', version: 'v1', kind: 'Pod' });
  });

  const pod = root.msg(9).named(1, 'io.k8s.api.core.v1.Pod');
  const prop = (name: string) => pod.msg(25).named(1, name);

  it('encodes schemas with TypeItem, required, properties and extensions', () => {
    assert.deepEqual(pod.msg(22).strs(1), ['object']);
    assert.deepEqual(pod.strs(19), ['spec']);
    const gvk = pod.msgs(31);
    assert.equal(gvk.length, 1);
    assert.equal(gvk[0]!.str(1), 'x-kubernetes-group-version-kind');
    assert.deepEqual(gvk[0]!.msg(2).anyYaml(), [{ group: '', version: 'v1', kind: 'Pod' }]);
  });

  it('wraps items in ItemsItem and keeps array-valued extensions', () => {
    const containers = prop('containers');
    assert.deepEqual(containers.msg(22).strs(1), ['array']);
    assert.equal(containers.msg(23).msg(1).str(1), '#/definitions/io.k8s.api.core.v1.Container');
    const ext = Object.fromEntries(containers.msgs(31).map((e) => [e.str(1), e.msg(2).anyYaml()]));
    assert.deepEqual(ext, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-patch-merge-key': 'name' });
  });

  it('encodes additionalProperties as a schema or as a boolean, false included', () => {
    assert.deepEqual(prop('labels').msg(21).msg(1).msg(22).strs(1), ['string']);
    const closed = prop('closed').msg(21);
    assert.equal(closed.varint(2), 0n);
    assert.equal(closed.has(1), false);
  });

  it('encodes enum values as Any, numbers as doubles and booleans in extensions', () => {
    assert.deepEqual(
      prop('restartPolicy')
        .msgs(20)
        .map((m) => m.anyYaml()),
      ['Always', 'Never'],
    );
    const port = prop('port');
    assert.equal(port.str(2), 'int32');
    const doubles = port.fields.filter((f) => f.number === 7 || f.number === 9);
    assert.deepEqual(
      doubles.map((f) => [f.number, f.wireType]),
      [
        [7, WireType.Fixed64],
        [9, WireType.Fixed64],
      ],
    );
    const max = new DataView(new ArrayBuffer(8));
    max.setBigUint64(0, doubles[0]!.value as bigint, true);
    assert.equal(max.getFloat64(0, true), 65535);
    assert.equal(prop('immutable').msg(31).msg(2).anyYaml(), true);
  });

  it('encodes security requirements and API key security definitions', () => {
    const requirement = root.msg(12);
    const entry = requirement.msg(1);
    assert.equal(entry.str(1), 'BearerToken');
    assert.deepEqual(entry.msg(2).numbers(), []);
    const apiKey = root.msg(13).named(1, 'BearerToken').msg(2);
    assert.equal(apiKey.str(1), 'apiKey');
    assert.equal(apiKey.str(2), 'authorization');
    assert.equal(apiKey.str(3), 'header');
  });

  it('rejects a parameter in an unknown location', () => {
    const bad = { swagger: '2.0', paths: { '/x': { get: { parameters: [{ name: 'a', in: 'cookie', type: 'string' }] } } } };
    assert.throws(() => encodeOpenApiV2Protobuf(bad), /unknown location cookie/);
  });

  it('encodes the served v2 document with the GVK of every kind kubectl looks up', () => {
    const served = JSON.parse(openApiV2Document('v1.35.0')) as Record<string, unknown>;
    const encoded = new Msg(encodeOpenApiV2Protobuf(served));
    const definitions = encoded.msg(9).msgs(1);
    assert.equal(definitions.length, Object.keys(served.definitions as object).length);
    const deployment = encoded.msg(9).named(1, 'io.k8s.api.apps.v1.Deployment');
    const gvk = deployment.msgs(31).find((e) => e.str(1) === 'x-kubernetes-group-version-kind');
    assert.ok(gvk);
    assert.deepEqual(gvk.msg(2).anyYaml(), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    assert.equal(encoded.msg(8).msgs(2).length, Object.keys(served.paths as object).length);
  });
});
