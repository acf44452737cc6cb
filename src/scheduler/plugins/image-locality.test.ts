import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runScore } from '../test-objects.test-support.js';
import { imageLocalityPlugin } from './image-locality.js';

describe('ImageLocality', () => {
  const mb = 1024 * 1024;
  it('favours nodes that have the image, scaled by size and spread', () => {
    const cache = cacheOf([makeNode('has', { images: [{ names: ['docker.io/library/big:1', 'big:1'], sizeBytes: 500 * mb }] }), makeNode('lacks')]);
    const scores = runScore(imageLocalityPlugin, makePod('p', { image: 'big:1' }), cache);
    // 500 MB on half the nodes = 250 MB; (250-23)/(1000-23) of 100
    assert.equal(scores.get('has'), 23);
    assert.equal(scores.get('lacks'), 0);
  });
  it('treats an untagged image as :latest and skips when no node has it', () => {
    const cache = cacheOf([makeNode('a', { images: [{ names: ['redis:latest'], sizeBytes: 900 * mb }] })]);
    assert.equal(runScore(imageLocalityPlugin, makePod('p', { image: 'redis' }), cache).get('a'), 89);
    assert.equal(runScore(imageLocalityPlugin, makePod('p', { image: 'other' }), cache).size, 0);
  });
});
