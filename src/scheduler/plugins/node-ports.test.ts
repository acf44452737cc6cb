import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter } from '../test-objects.test-support.js';
import { nodePortsPlugin } from './node-ports.js';

describe('NodePorts', () => {
  const cache = cacheOf([makeNode('a'), makeNode('b')], [makePod('web', { nodeName: 'a', hostPort: 8080 })]);
  it('rejects a node whose host port is taken', () => {
    assert.deepEqual(runFilter(nodePortsPlugin, makePod('p', { hostPort: 8080 }), cache, 'a')?.reasons, [
      "node(s) didn't have free ports for the requested pod ports",
    ]);
    assert.equal(runFilter(nodePortsPlugin, makePod('p', { hostPort: 8080 }), cache, 'b'), undefined);
    assert.equal(runFilter(nodePortsPlugin, makePod('p', { hostPort: 9090 }), cache, 'a'), undefined);
  });
  it('frees the port when the pod goes', () => {
    const c = cacheOf([makeNode('a')], [makePod('web', { nodeName: 'a', hostPort: 8080 })]);
    c.removePod(makePod('web', { nodeName: 'a' }));
    assert.equal(runFilter(nodePortsPlugin, makePod('p', { hostPort: 8080 }), c, 'a'), undefined);
  });
});
