import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podTemplateHash, templatesEqualIgnoringHash } from './pod-template-hash.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } };

test('the hash is stable, key-order independent, and spelled in kube alphabet', () => {
  const h = podTemplateHash(template);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(podTemplateHash(structuredClone(template)), h);
  const reordered = { spec: { containers: [{ image: 'nginx:1.25', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(podTemplateHash(reordered), h);
});

test('another template or a collision count gives another hash', () => {
  const h = podTemplateHash(template);
  const other = structuredClone(template);
  other.spec.containers[0]!.image = 'nginx:1.26';
  assert.notEqual(podTemplateHash(other), h);
  assert.notEqual(podTemplateHash(template, 1), h);
  assert.notEqual(podTemplateHash(template, 2), podTemplateHash(template, 1));
  assert.equal(podTemplateHash(template, 0), h);
});

test('templates compare equal whatever their pod-template-hash label', () => {
  const labelled = structuredClone(template) as typeof template & { metadata: { labels: Record<string, string> } };
  labelled.metadata.labels['pod-template-hash'] = 'abc';
  assert.ok(templatesEqualIgnoringHash(template, labelled));
  assert.ok(templatesEqualIgnoringHash({ ...template, metadata: { labels: { app: 'web' }, annotations: {} } }, template), 'empty maps are absent ones');
  assert.ok(!templatesEqualIgnoringHash(template, { ...template, metadata: { labels: { app: 'api' } } }));
});
