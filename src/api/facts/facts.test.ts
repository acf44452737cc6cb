import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allTypes, factsSource, fieldFacts, typeFacts, typeNameForKind } from './index.js';

test('top-level kinds resolve by group, version and kind', () => {
  assert.equal(typeNameForKind('', 'v1', 'Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(typeNameForKind('', 'v1', 'PodList'), 'io.k8s.api.core.v1.PodList');
  assert.equal(typeNameForKind('apps', 'v1', 'Deployment'), 'io.k8s.api.apps.v1.Deployment');
  assert.equal(typeNameForKind('autoscaling', 'v2', 'HorizontalPodAutoscaler'), 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
  assert.equal(typeNameForKind('', 'v1', 'Status'), 'io.k8s.apimachinery.pkg.apis.meta.v1.Status');
  assert.equal(typeNameForKind('meta.k8s.io', 'v1', 'Table'), 'io.k8s.apimachinery.pkg.apis.meta.v1.Table');
  assert.equal(typeNameForKind('apps', 'v1', 'DeleteOptions'), 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  assert.equal(typeNameForKind('apps', 'v1', 'Pod'), undefined);
  // Structs without ObjectMeta are not kinds.
  assert.equal(typeFacts('io.k8s.api.core.v1.PodSpec')?.gvk, undefined);
});

test('every group version Skiff serves is covered', () => {
  const groupVersions = new Set(allTypes().flatMap((t) => (t.gvk ?? []).map((g) => `${g.group}/${g.version}`)));
  for (const gv of ['/v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'coordination.k8s.io/v1',
    'discovery.k8s.io/v1', 'events.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'policy/v1', 'storage.k8s.io/v1',
    'scheduling.k8s.io/v1', 'certificates.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1',
    'admissionregistration.k8s.io/v1', 'meta.k8s.io/v1']) {
    assert.ok(groupVersions.has(gv), gv);
  }
});

test('field facts carry JSON names, protobuf numbers and merge markers', () => {
  const containers = fieldFacts('io.k8s.api.core.v1.PodSpec', 'containers');
  assert.deepEqual(containers?.type, { kind: 'array', items: { kind: 'ref', type: 'io.k8s.api.core.v1.Container' } });
  assert.equal(containers?.proto, 2);
  assert.equal(containers?.patchStrategy, 'merge');
  assert.equal(containers?.patchMergeKey, 'name');
  assert.equal(containers?.listType, 'map');
  assert.deepEqual(containers?.listMapKeys, ['name']);
  assert.equal(containers?.required, true);

  const replicas = fieldFacts('io.k8s.api.apps.v1.DeploymentSpec', 'replicas');
  assert.deepEqual(replicas?.type, { kind: 'int32' });
  assert.equal(replicas?.pointer, true);
  assert.equal(replicas?.required, undefined);

  assert.deepEqual(fieldFacts('io.k8s.api.core.v1.Secret', 'data')?.type, { kind: 'map', values: { kind: 'bytes' } });
  assert.deepEqual(fieldFacts('io.k8s.api.core.v1.ResourceRequirements', 'limits')?.type, {
    kind: 'map',
    values: { kind: 'ref', type: 'io.k8s.apimachinery.pkg.api.resource.Quantity' },
  });
  assert.deepEqual(fieldFacts('io.k8s.api.core.v1.ServicePort', 'protocol')?.enum, ['SCTP', 'TCP', 'UDP']);
  assert.deepEqual(fieldFacts('io.k8s.apimachinery.pkg.apis.meta.v1.APIResource', 'verbs')?.type, {
    kind: 'array',
    items: { kind: 'string' },
    wrapped: true,
  });
});

test('inlined structs are flattened with their protobuf path', () => {
  const kind = fieldFacts('io.k8s.api.core.v1.Pod', 'kind');
  assert.deepEqual(kind?.type, { kind: 'string' });
  assert.equal(kind?.proto, undefined);
  const emptyDir = fieldFacts('io.k8s.api.core.v1.Volume', 'emptyDir');
  assert.equal(emptyDir?.proto, 2);
  assert.deepEqual(emptyDir?.embeddedIn, [2]);
});

test('special types are marked', () => {
  assert.equal(typeFacts('io.k8s.apimachinery.pkg.api.resource.Quantity')?.special, 'quantity');
  assert.equal(typeFacts('io.k8s.apimachinery.pkg.apis.meta.v1.Time')?.special, 'time');
  assert.equal(typeFacts('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime')?.special, 'micro-time');
  assert.equal(typeFacts('io.k8s.apimachinery.pkg.util.intstr.IntOrString')?.special, 'int-or-string');
  assert.equal(typeFacts('io.k8s.apimachinery.pkg.runtime.RawExtension')?.special, 'raw-extension');
  assert.equal(typeFacts('io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1')?.special, 'fields-v1');
  assert.match(factsSource()?.api ?? '', /^[0-9a-f]{40}$/);
});

test('every ref points at a type in the catalogue', () => {
  const refs = (t: unknown): string[] => {
    if (typeof t !== 'object' || t === null) return [];
    const o = t as { kind?: string; type?: string; items?: unknown; values?: unknown };
    if (o.kind === 'ref' && o.type) return [o.type];
    return [...refs(o.items), ...refs(o.values)];
  };
  for (const type of allTypes()) {
    for (const field of type.fields) {
      for (const ref of refs(field.type)) assert.ok(typeFacts(ref), `${type.name}.${field.name} → ${ref}`);
    }
  }
});
