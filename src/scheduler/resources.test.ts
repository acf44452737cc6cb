import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { defaultMemoryRequest, nodeAllocatable, podNonZeroRequests, podRequests } from './resources.js';
import { makeNode } from './test-objects.test-support.js';

const pod = (spec: NonNullable<Pod['spec']>): Pod => ({ metadata: { name: 'p' }, spec });

describe('podRequests', () => {
  it('sums app containers and rounds quantities up to millicores and bytes', () => {
    const r = podRequests(
      pod({
        containers: [
          { name: 'a', resources: { requests: { cpu: '0.1', memory: '1Mi' } } },
          { name: 'b', resources: { requests: { cpu: '250m', 'example.com/gpu': '2' } } },
        ],
      }),
    );
    assert.equal(r.milliCPU, 350);
    assert.equal(r.memory, 1024 * 1024);
    assert.equal(r.scalars.get('example.com/gpu'), 2);
  });

  it('takes the largest init container when it exceeds the app containers, and adds overhead', () => {
    const r = podRequests(
      pod({
        initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
        containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }],
        overhead: { cpu: '100m' },
      }),
    );
    assert.equal(r.milliCPU, 2100);
  });

  it('counts sidecars (restartable init containers) for the whole life of the pod', () => {
    const r = podRequests(
      pod({
        initContainers: [
          { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } },
          { name: 'init', resources: { requests: { cpu: '1500m' } } },
        ],
        containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }],
      }),
    );
    // max(app 1 + sidecar 1, init 1.5 + sidecar 1)
    assert.equal(r.milliCPU, 2500);
  });

  it('uses pod-level requests when the pod sets them', () => {
    const p = pod({ containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] });
    (p.spec as unknown as { resources: unknown }).resources = { requests: { cpu: '3' } };
    assert.equal(podRequests(p).milliCPU, 3000);
  });
});

describe('podNonZeroRequests', () => {
  it('counts containers without requests at 100m and 200Mi', () => {
    const r = podNonZeroRequests(pod({ containers: [{ name: 'a' }, { name: 'b', resources: { requests: { cpu: '1' } } }] }));
    assert.deepEqual(r, { milliCPU: 1100, memory: 2 * defaultMemoryRequest });
  });
});

describe('nodeAllocatable', () => {
  it('reads allocatable, with the pod count apart', () => {
    const { resource, pods } = nodeAllocatable(makeNode('n', { cpu: '3500m', memory: '1Gi', pods: '10' }));
    assert.equal(resource.milliCPU, 3500);
    assert.equal(resource.memory, 2 ** 30);
    assert.equal(pods, 10);
  });
});
