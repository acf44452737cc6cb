import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { daemonTolerations, nodeFit, pinToNode, targetNode } from './daemon-pods.js';
import type { NodeObject } from '../shared/index.js';

const node = (name: string, labels: Record<string, string> = {}, taints: { key: string; value?: string; effect: string }[] = []): NodeObject => ({
  metadata: { name, labels },
  spec: { taints },
});
const template = (spec: Partial<NonNullable<PodTemplateSpec['spec']>> = {}): PodTemplateSpec => ({ spec: { containers: [{ name: 'c' }], ...spec } });

describe('daemon pods', () => {
  test('kube adds its tolerations once, network-unavailable only with hostNetwork', () => {
    const keys = (t: ReturnType<typeof daemonTolerations>) => t.map((x) => `${x.key}:${x.effect}`);
    assert.equal(daemonTolerations({ containers: [] }).length, 6);
    assert.ok(keys(daemonTolerations({ containers: [], hostNetwork: true })).includes('node.kubernetes.io/network-unavailable:NoSchedule'));
    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' } as const;
    assert.equal(daemonTolerations({ containers: [], tolerations: [own] }).length, 6);
  });

  test('node selector, required affinity and taints decide where a daemon pod runs and may stay', () => {
    assert.deepEqual(nodeFit(template(), node('a')), { shouldRun: true, shouldContinueRunning: true });
    assert.equal(nodeFit(template({ nodeSelector: { disk: 'ssd' } }), node('a')).shouldRun, false);
    assert.equal(nodeFit(template({ nodeSelector: { disk: 'ssd' } }), node('a', { disk: 'ssd' })).shouldRun, true);
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1'] }] }] },
      },
    };
    assert.equal(nodeFit(template({ affinity }), node('a', { zone: 'z1' })).shouldRun, false);
    assert.equal(nodeFit(template({ affinity }), node('a', { zone: 'z2' })).shouldRun, true);
    assert.deepEqual(nodeFit(template(), node('a', {}, [{ key: 'x', effect: 'NoSchedule' }])), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(nodeFit(template(), node('a', {}, [{ key: 'x', effect: 'NoExecute' }])), { shouldRun: false, shouldContinueRunning: false });
    assert.equal(nodeFit(template(), node('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }])).shouldRun, true);
    assert.equal(
      nodeFit(template({ tolerations: [{ key: 'x', operator: 'Equal', value: 'y' }] }), node('a', {}, [{ key: 'x', value: 'y', effect: 'NoExecute' }]))
        .shouldRun,
      true,
    );
    assert.equal(nodeFit(template(), node('a', {}, [{ key: 'x', effect: 'PreferNoSchedule' }])).shouldRun, true);
  });

  test('pods are pinned by required node affinity on metadata.name, which names their node', () => {
    const affinity = pinToNode({ podAntiAffinity: {} }, 'n7');
    assert.deepEqual(affinity, {
      podAntiAffinity: {},
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] },
      },
    });
    assert.equal(targetNode({ containers: [], affinity }), 'n7');
    assert.equal(targetNode({ containers: [], affinity, nodeName: 'n8' }), 'n8');
    assert.equal(targetNode({ containers: [] }), undefined);
  });
});
