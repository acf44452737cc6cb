import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removedApiWarning } from './removed-apis.js';

test('removed versions get kube-apiserver deprecation text', () => {
  assert.equal(
    removedApiWarning({ group: 'extensions', version: 'v1beta1' }, 'Deployment'),
    'extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment',
  );
  assert.equal(
    removedApiWarning({ group: 'extensions', version: 'v1beta1' }, 'Ingress'),
    'extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress',
  );
  // A kind without a replacement stops after the release that removed it.
  assert.equal(
    removedApiWarning({ group: 'extensions', version: 'v1beta1' }, 'Scale'),
    'extensions/v1beta1 Scale is deprecated in v1.2+, unavailable in v1.16+',
  );
  assert.equal(
    removedApiWarning({ group: 'apps', version: 'v1beta2' }, 'Scale'),
    'apps/v1beta2 Scale is deprecated in v1.9+, unavailable in v1.16+; use autoscaling/v1 Scale',
  );
});

test('current versions get no warning', () => {
  assert.equal(removedApiWarning({ group: 'apps', version: 'v1' }, 'Deployment'), undefined);
  assert.equal(removedApiWarning({ group: '', version: 'v1' }, 'Pod'), undefined);
});
