import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerExpectations } from './controller-expectations.js';

test('expectations hold a key until every creation and deletion is observed', () => {
  const e = new ControllerExpectations();
  assert.ok(e.satisfied('ns/rs'));
  e.expectCreations('ns/rs', 2);
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(e.satisfied('ns/rs'));
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  assert.ok(!e.satisfied('ns/rs'));
  e.deletionObserved('ns/rs', 'ns/b');
  assert.ok(e.satisfied('ns/rs'));
});

test('expectations older than five minutes are no longer trusted', () => {
  let now = 0;
  const e = new ControllerExpectations(() => now);
  e.expectCreations('ns/rs', 3);
  now = 299_000;
  assert.ok(!e.satisfied('ns/rs'));
  now = 301_000;
  assert.ok(e.satisfied('ns/rs'));
  e.expectCreations('ns/rs', 1);
  e.forget('ns/rs');
  assert.ok(e.satisfied('ns/rs'));
});

test('creations and deletions asked for in one sync are awaited together', () => {
  const e = new ControllerExpectations();
  e.expectDeletions('ns/job', ['ns/extra']);
  e.expectCreations('ns/job', 1);
  e.expectCreations('ns/job', 1);
  e.expectCreations('ns/job', 0);
  e.creationObserved('ns/job');
  e.deletionObserved('ns/job', 'ns/extra');
  assert.ok(!e.satisfied('ns/job'), 'one creation is still awaited');
  e.creationObserved('ns/job');
  assert.ok(e.satisfied('ns/job'));
  // Once satisfied, a late observation must not make the next expectation short.
  e.creationObserved('ns/job');
  e.expectCreations('ns/job', 1);
  assert.ok(!e.satisfied('ns/job'));
});
