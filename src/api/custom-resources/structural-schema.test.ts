import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../field-errors.js';
import { applyDefaults, pruneUnknownFields, validateAgainstSchema, type StructuralSchema } from './structural-schema.js';

const schema: StructuralSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec'],
      properties: {
        cronSpec: { type: 'string', pattern: '^\\d+$', minLength: 1, maxLength: 5 },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
        color: { type: 'string', enum: ['red', 'blue'] },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

const messages = (obj: unknown) => validateAgainstSchema(schema, obj).map(fieldErrorMessage);

test('a valid object has no errors', () => {
  assert.deepEqual(messages({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { cronSpec: '5', port: 'http', note: null, tags: ['a'] } }), []);
});

test('types, required and enum are worded as kube words them', () => {
  assert.deepEqual(messages({ spec: { replicas: 'three', color: 'pink', port: true } }), [
    'spec.cronSpec: Required value',
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    'spec.color: Unsupported value: "pink": supported values: "red", "blue"',
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
  ]);
  assert.deepEqual(messages({ spec: 'x' }), ['spec: Invalid value: "string": spec in body must be of type object: "string"']);
});

test('numbers, strings and arrays keep to their bounds', () => {
  assert.deepEqual(messages({ spec: { cronSpec: 'abcdef', replicas: 0, ratio: 1, tags: [] } }), [
    'spec.cronSpec: Too long: may not be more than 5 bytes',
    'spec.cronSpec: Invalid value: "abcdef": spec.cronSpec in body should match \'^\\d+$\'',
    'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
    'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '1', replicas: 11, ratio: 0, tags: ['a', 'b', 'a'] } }), [
    'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0',
    'spec.tags: Too many: 3: must have at most 2 items',
    'spec.tags[2]: Duplicate value: "a"',
  ]);
});

test('nullable, list maps, maps and embedded resources', () => {
  assert.deepEqual(messages({ spec: { cronSpec: null, note: null } }), [
    'spec.cronSpec: Invalid value: "null": spec.cronSpec in body must be of type string: "null"',
  ]);
  assert.deepEqual(messages({ spec: { cronSpec: '1', ports: [{ name: 'a' }, { name: 'a', port: 1 }], labels: { a: 1 }, template: {} } }), [
    'spec.ports[1]: Duplicate value: "a"',
    'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    'spec.template.apiVersion: Required value: must not be empty',
    'spec.template.kind: Required value: must not be empty',
  ]);
});

test('pruning drops unknown fields but keeps the envelope, maps and preserved subtrees', () => {
  const obj = {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'a' },
    extra: 1,
    spec: { cronSpec: '1', bogus: true, ports: [{ name: 'a', nope: 1 }], labels: { any: 'x' }, free: { deep: { er: 1 } }, template: { kind: 'Pod', x: 1 } },
  };
  assert.deepEqual(pruneUnknownFields(schema, obj), ['extra', 'spec.bogus', 'spec.ports[0].nope']);
  assert.deepEqual(obj, {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'a' },
    spec: { cronSpec: '1', ports: [{ name: 'a' }], labels: { any: 'x' }, free: { deep: { er: 1 } }, template: { kind: 'Pod', x: 1 } },
  });
});

test('defaults fill missing fields, inside list items too, and never overwrite', () => {
  const obj = { spec: { cronSpec: '1', ports: [{ name: 'a' }, { name: 'b', port: 8080 }] } };
  applyDefaults(schema, obj);
  assert.deepEqual(obj, {
    spec: {
      cronSpec: '1',
      replicas: 1,
      ports: [
        { name: 'a', port: 80 },
        { name: 'b', port: 8080 },
      ],
    },
  });
  const objWithReplicas = { spec: { replicas: 4 } };
  applyDefaults(schema, objWithReplicas);
  assert.deepEqual(objWithReplicas, { spec: { replicas: 4 } });
});
