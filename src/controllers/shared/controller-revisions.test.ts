import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fnv32a, revisionData, revisionTemplate, safeHash } from './controller-revisions.js';

describe('controller revisions', () => {
  test('FNV-1a 32 and the safe alphabet kube spells hashes in', () => {
    assert.equal(fnv32a(''), 0x811c9dc5);
    assert.equal(fnv32a('a'), 0xe40c292c);
    const h = safeHash({ a: 1 });
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(h, safeHash({ a: 1 }));
    assert.notEqual(h, safeHash({ a: 2 }));
    assert.notEqual(h, safeHash({ a: 1 }, 1), 'a collision count changes the hash');
  });

  test('a revision stores the template as a replacing patch and gives it back', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const data = revisionData(template);
    assert.deepEqual(data, { spec: { template: { ...template, $patch: 'replace' } } });
    assert.deepEqual(revisionTemplate({ metadata: { name: 'r' }, revision: 1, data }), template);
  });
});
