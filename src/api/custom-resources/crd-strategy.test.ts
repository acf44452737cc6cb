import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../field-errors.js';
import { cleanupFinalizer, customResourceDefinitionStrategy as strategy } from './crd-strategy.js';
import { compareVersions, customResourceInfos } from './custom-resource-info.js';

function crd(overrides: Record<string, unknown> = {}, versions?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: versions ?? [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      ...overrides,
    },
  };
}

const errors = (obj: Record<string, unknown>) => strategy.validate(strategy.default(obj)).map(fieldErrorMessage);

test('defaults singular, listKind and conversion; create adds the cleanup finalizer and storedVersions', () => {
  const obj = strategy.default(crd());
  const spec = obj.spec as Record<string, Record<string, unknown>>;
  assert.equal(spec.names!.singular, 'widget');
  assert.equal(spec.names!.listKind, 'WidgetList');
  assert.deepEqual(spec.conversion, { strategy: 'None' });
  strategy.prepareForCreate(obj);
  assert.deepEqual((obj.metadata as Record<string, unknown>).finalizers, [cleanupFinalizer]);
  assert.deepEqual((obj.status as Record<string, unknown>).storedVersions, ['v1']);
  assert.deepEqual(errors(crd()), []);
});

test('the name must be plural.group and the group a domain', () => {
  assert.deepEqual(errors({ ...crd({ group: 'example' }), metadata: { name: 'widgets.example' } }), [
    'spec.group: Invalid value: "example": should be a domain with at least one dot',
  ]);
  assert.deepEqual(errors({ ...crd(), metadata: { name: 'gadgets.example.com' } }), [
    'metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group',
  ]);
});

test('exactly one storage version and schemas that are structural', () => {
  const schema = { openAPIV3Schema: { type: 'object' } };
  assert.deepEqual(
    errors(
      crd({}, [
        { name: 'v1', served: true, storage: true, schema },
        { name: 'v2', served: true, storage: true, schema },
      ]),
    ).filter((m) => m.includes('storage')).length,
    1,
  );
  assert.deepEqual(
    errors(
      crd({}, [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { properties: { spec: { properties: {} }, list: { type: 'array', items: { type: 'string' }, uniqueItems: true } } } },
        },
      ]),
    ),
    [
      'spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[list].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    ],
  );
  assert.deepEqual(errors(crd({}, [{ name: 'v1', served: true, storage: true }])), [
    'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
  ]);
});

test('CEL rules are accepted with a warning', () => {
  const obj = crd({}, [
    { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a > 0' }] } } },
  ]);
  assert.deepEqual(errors(obj), []);
  assert.deepEqual(strategy.warnings(obj), [
    'spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations: CEL validation rules are accepted but not enforced by Skiff',
  ]);
});

test('served versions become resources, preferred first; unserved ones do not', () => {
  const schema = { openAPIV3Schema: { type: 'object' } };
  const infos = customResourceInfos(
    strategy.default(
      crd({}, [
        { name: 'v1beta1', served: true, storage: false, schema },
        {
          name: 'v1',
          served: true,
          storage: true,
          schema,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        },
        { name: 'v1alpha1', served: false, storage: false, schema },
      ]),
    ),
  );
  assert.deepEqual(
    infos.map((i) => [i.version, i.storage.version, i.subresources.map((s) => s.name)]),
    [
      ['v1', 'v1', ['scale', 'status']],
      ['v1beta1', 'v1', []],
    ],
  );
  assert.deepEqual(['v1alpha1', 'v2', 'foo', 'v1', 'v2beta1', 'v10'].sort(compareVersions), ['v10', 'v2', 'v1', 'v2beta1', 'v1alpha1', 'foo']);
});
