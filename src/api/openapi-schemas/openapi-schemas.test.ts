import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allSchemasV2, allSchemasV3, schemasForGroupVersion, schemasForGroupVersionV2, type Schema } from './index.js';

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
}

function property(schemas: Record<string, Schema>, type: string, name: string): Schema {
  const props = schemas[type]?.properties as Record<string, Schema> | undefined;
  const prop = props?.[name];
  assert.ok(prop, `${type}.${name}`);
  return prop;
}

test('a group version document is closed: every $ref resolves inside it', () => {
  for (const [group, version] of [['apps', 'v1'], ['', 'v1'], ['batch', 'v1'], ['autoscaling', 'v2'], ['rbac.authorization.k8s.io', 'v1']] as const) {
    const schemas = schemasForGroupVersion(group, version);
    assert.ok(Object.keys(schemas).length > 10, `${group}/${version}`);
    for (const ref of refsIn(schemas)) {
      assert.ok(ref.startsWith('#/components/schemas/'), ref);
      assert.ok(schemas[ref.slice('#/components/schemas/'.length)], `${group}/${version}: ${ref}`);
    }
    const v2 = schemasForGroupVersionV2(group, version);
    for (const ref of refsIn(v2)) assert.ok(v2[ref.slice('#/definitions/'.length)], ref);
  }
  assert.deepEqual(schemasForGroupVersion('example.com', 'v1'), {});
});

test('kinds carry their group-version-kind and meta types come along', () => {
  const apps = schemasForGroupVersion('apps', 'v1');
  assert.deepEqual(apps['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  for (const name of ['DeleteOptions', 'Patch', 'Status', 'WatchEvent', 'ObjectMeta', 'Time']) {
    assert.ok(apps[`io.k8s.apimachinery.pkg.apis.meta.v1.${name}`], name);
  }
  assert.ok(apps['io.k8s.api.core.v1.PodSpec']);
  assert.equal(apps['io.k8s.api.batch.v1.Job'], undefined);
});

test('v3 wraps refs in allOf with struct defaults, as kube-apiserver publishes', () => {
  const apps = schemasForGroupVersion('apps', 'v1');
  assert.deepEqual(property(apps, 'io.k8s.api.apps.v1.Deployment', 'metadata'), {
    allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    default: {},
  });
  assert.deepEqual(property(apps, 'io.k8s.api.apps.v1.DeploymentSpec', 'selector'), {
    allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' }],
  });
  assert.deepEqual(property(apps, 'io.k8s.api.apps.v1.DeploymentSpec', 'strategy'), {
    allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
    default: {},
    'x-kubernetes-patch-strategy': 'retainKeys',
  });
  assert.deepEqual(property(apps, 'io.k8s.api.apps.v1.DeploymentSpec', 'replicas'), { format: 'int32', type: 'integer' });
  assert.deepEqual(property(apps, 'io.k8s.api.apps.v1.DaemonSetStatus', 'numberReady'), { format: 'int32', type: 'integer', default: 0 });
  const containers = property(apps, 'io.k8s.api.core.v1.PodSpec', 'containers');
  assert.deepEqual(containers, {
    items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }], default: {} },
    type: 'array',
    'x-kubernetes-list-map-keys': ['name'],
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
  });
  assert.deepEqual(apps['io.k8s.api.apps.v1.DeploymentSpec']?.required, ['selector', 'template']);
});

test('special types and wire formats', () => {
  const core = schemasForGroupVersion('', 'v1');
  assert.deepEqual(core['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
  assert.deepEqual(core['io.k8s.apimachinery.pkg.api.resource.Quantity'], { oneOf: [{ type: 'string' }, { type: 'number' }] });
  assert.deepEqual(core['io.k8s.apimachinery.pkg.apis.meta.v1.Time'], { format: 'date-time', type: 'string' });
  assert.deepEqual(property(core, 'io.k8s.api.core.v1.Secret', 'data'), { additionalProperties: { format: 'byte', type: 'string' }, type: 'object' });
  assert.deepEqual(property(core, 'io.k8s.api.core.v1.ResourceRequirements', 'limits'), {
    additionalProperties: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' },
    type: 'object',
  });
  assert.deepEqual(property(core, 'io.k8s.api.core.v1.PodSpec', 'restartPolicy'), { type: 'string', enum: ['Always', 'Never', 'OnFailure'] });
  assert.deepEqual(property(core, 'io.k8s.api.core.v1.ServicePort', 'protocol'), { type: 'string', enum: ['SCTP', 'TCP', 'UDP'], default: 'TCP' });
  assert.equal(core['io.k8s.api.core.v1.LocalObjectReference']?.['x-kubernetes-map-type'], 'atomic');
  assert.deepEqual(property(core, 'io.k8s.api.core.v1.PodSpec', 'nodeSelector')['x-kubernetes-map-type'], 'atomic');
});

test('v2 definitions use plain $ref and no defaults', () => {
  const all = allSchemasV2();
  assert.deepEqual(all['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { format: 'int-or-string', type: 'string' });
  assert.deepEqual(all['io.k8s.apimachinery.pkg.api.resource.Quantity'], { type: 'string' });
  assert.deepEqual(property(all, 'io.k8s.api.apps.v1.Deployment', 'spec'), { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec' });
  for (const ref of refsIn(all)) assert.ok(all[ref.slice('#/definitions/'.length)], ref);
  for (const gv of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.networking.v1.Ingress', 'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration']) {
    assert.ok(all[gv], gv);
  }
  assert.deepEqual(property(all, 'io.k8s.api.apps.v1.DaemonSetStatus', 'numberReady'), { format: 'int32', type: 'integer' });
  assert.deepEqual(property(all, 'io.k8s.api.core.v1.ServicePort', 'protocol'), { type: 'string', enum: ['SCTP', 'TCP', 'UDP'] });
  assert.equal(Object.keys(allSchemasV3()).length, Object.keys(all).length);
});
