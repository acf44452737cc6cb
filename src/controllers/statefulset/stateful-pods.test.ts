import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { claimsFor, ordinalOf, podFor } from './stateful-pods.js';
import type { StatefulSetObject } from '../shared/index.js';

const set: StatefulSetObject = {
  metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
  spec: {
    serviceName: 'svc',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'c', image: 'nginx' }],
        volumes: [
          { name: 'www', emptyDir: {} },
          { name: 'cfg', emptyDir: {} },
        ],
      },
    },
    volumeClaimTemplates: [{ metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'] } }],
  },
};

describe('stateful pods', () => {
  test('ordinals come only from `<set>-<number>` names, without leading zeros', () => {
    assert.deepEqual(
      ['web-0', 'web-12', 'web-01', 'web-x', 'webby-1', 'web-1-2', 'web-'].map((n) => ordinalOf('web', n)),
      [0, 12, undefined, undefined, undefined, undefined, undefined],
    );
    assert.equal(ordinalOf('web-1', 'web-1-2'), 2);
  });

  test('an ordinal pod has the identity labels, hostname, subdomain and its claim in place of the template volume', () => {
    const pod = podFor(set, set.spec!.template, 'web-abc', 2);
    assert.equal(pod.metadata.name, 'web-2');
    assert.deepEqual(pod.metadata.labels, {
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-2',
      'apps.kubernetes.io/pod-index': '2',
      'controller-revision-hash': 'web-abc',
    });
    assert.deepEqual([pod.spec?.hostname, pod.spec?.subdomain], ['web-2', 'svc']);
    assert.deepEqual(pod.spec?.volumes, [
      { name: 'cfg', emptyDir: {} },
      { name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } },
    ]);
    assert.deepEqual(pod.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(set.spec!.template.spec!.volumes!.length, 2, 'the template is not changed');
  });

  test('claims are named <template>-<set>-<ordinal> and carry the selector labels', () => {
    const [claim] = claimsFor(set, 1);
    assert.equal(claim?.metadata.name, 'www-web-1');
    assert.deepEqual(claim?.metadata.labels, { tier: 'data', app: 'web' });
    assert.deepEqual(claim?.spec, { accessModes: ['ReadWriteOnce'] });
  });
});
