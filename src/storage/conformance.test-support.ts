// The behaviour every StorageBackend must show, as node:test tests a backend's own test file
// registers with runConformanceSuite: preconditions, paging, historical reads, compaction,
// watch replay and live delivery, and (when the backend can reopen) persistence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  StorageError,
  type StorageBackend,
  type WatchEvent,
} from './backend.js';

export interface ConformanceFixture {
  readonly backend: StorageBackend;
  /** Opens the same store again; the suite closes `backend` first. */
  readonly reopen?: () => Promise<StorageBackend>;
  readonly cleanup: () => Promise<void>;
}

const TEST_TIMEOUT_MS = 5000;

export function runConformanceSuite(name: string, open: () => Promise<ConformanceFixture>): void {
  /** Runs `body` against a fresh store and always cleans it up. */
  const withBackend = async (body: (fixture: ConformanceFixture) => Promise<void>): Promise<void> => {
    const fixture = await open();
    try {
      await body(fixture);
    } finally {
      await fixture.backend.close();
      await fixture.cleanup();
    }
  };
  const check = (title: string, body: (backend: StorageBackend) => Promise<void>): void => {
    void test(title, { timeout: TEST_TIMEOUT_MS }, () => withBackend((fixture) => body(fixture.backend)));
  };

  void describe(`storage conformance: ${name}`, () => {
    check('create then get returns the value with create and mod revision equal', async (backend) => {
      const created = await backend.create('/registry/pods/default/a', 'one');
      assert.equal(created.key, '/registry/pods/default/a');
      assert.equal(created.value, 'one');
      assert.equal(created.createRevision, created.modRevision);
      assert.ok(created.modRevision > 0);
      assert.deepEqual(await backend.get('/registry/pods/default/a'), created);
      assert.equal(await backend.get('/registry/pods/default/missing'), undefined);
      assert.equal(await backend.currentRevision(), created.modRevision);
    });

    check('create fails with KeyExistsError when the key exists', async (backend) => {
      await backend.create('/registry/pods/default/a', 'one');
      await assert.rejects(backend.create('/registry/pods/default/a', 'two'), KeyExistsError);
      assert.equal((await backend.get('/registry/pods/default/a'))?.value, 'one');
    });

    check('update with the current revision succeeds, with a stale one conflicts', async (backend) => {
      const created = await backend.create('/registry/pods/default/a', 'one');
      const updated = await backend.update('/registry/pods/default/a', 'two', created.modRevision);
      assert.equal(updated.value, 'two');
      assert.equal(updated.createRevision, created.createRevision);
      assert.ok(updated.modRevision > created.modRevision);
      await assert.rejects(
        backend.update('/registry/pods/default/a', 'three', created.modRevision),
        (error: unknown) => error instanceof ConflictError && error.actualModRevision === updated.modRevision,
      );
      assert.deepEqual(await backend.get('/registry/pods/default/a'), updated);
      await assert.rejects(backend.update('/registry/pods/default/missing', 'x', 1), KeyNotFoundError);
    });

    check('of concurrent updates from one revision exactly one wins', async (backend) => {
      const created = await backend.create('/registry/pods/default/a', 'zero');
      const attempts = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((n) => backend.update('/registry/pods/default/a', `v${n}`, created.modRevision)),
      );
      const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
      assert.equal(winners.length, 1);
      for (const attempt of attempts) {
        if (attempt.status === 'rejected') assert.ok(attempt.reason instanceof ConflictError);
      }
      const current = await backend.get('/registry/pods/default/a');
      assert.equal(current?.modRevision, created.modRevision + 1);
    });

    check('delete returns the last value at the delete revision; preconditions are checked', async (backend) => {
      const a = await backend.create('/registry/pods/default/a', 'one');
      const b = await backend.create('/registry/pods/default/b', 'two');
      const deleted = await backend.delete('/registry/pods/default/a');
      assert.equal(deleted.value, 'one');
      assert.equal(deleted.createRevision, a.createRevision);
      assert.equal(deleted.modRevision, b.modRevision + 1);
      assert.equal(await backend.currentRevision(), deleted.modRevision);
      assert.equal(await backend.get('/registry/pods/default/a'), undefined);
      await assert.rejects(backend.delete('/registry/pods/default/a'), KeyNotFoundError);
      await assert.rejects(backend.update('/registry/pods/default/a', 'x', deleted.modRevision), KeyNotFoundError);

      await assert.rejects(backend.delete('/registry/pods/default/b', b.modRevision - 1), ConflictError);
      assert.equal((await backend.get('/registry/pods/default/b'))?.value, 'two');
      const deletedB = await backend.delete('/registry/pods/default/b', b.modRevision);
      assert.equal(deletedB.value, 'two');

      const recreated = await backend.create('/registry/pods/default/a', 'again');
      assert.equal(recreated.createRevision, recreated.modRevision);
      assert.ok(recreated.createRevision > deleted.modRevision);
    });

    check('list matches the prefix exactly, in key order', async (backend) => {
      await backend.create('/registry/podsx/default/z', 'other');
      await backend.create('/registry/pods/kube-system/b', 'b');
      await backend.create('/registry/pods/default/a', 'a');
      await backend.create('/registry/pod/default/c', 'other');
      const listed = await backend.list('/registry/pods/');
      assert.deepEqual(
        listed.items.map((item) => item.key),
        ['/registry/pods/default/a', '/registry/pods/kube-system/b'],
      );
      assert.equal(listed.remaining, 0);
      assert.equal(listed.revision, await backend.currentRevision());
      assert.deepEqual(
        (await backend.list('/registry/pods/default/')).items.map((item) => item.value),
        ['a'],
      );
      assert.equal((await backend.list('/registry/')).items.length, 4);
      assert.equal((await backend.list('/registry/nothing/')).items.length, 0);
    });

    check('list leaves out deleted keys and shows the newest values', async (backend) => {
      const a = await backend.create('/registry/pods/default/a', 'a1');
      await backend.create('/registry/pods/default/b', 'b1');
      await backend.update('/registry/pods/default/a', 'a2', a.modRevision);
      await backend.delete('/registry/pods/default/b');
      const listed = await backend.list('/registry/pods/');
      assert.deepEqual(
        listed.items.map((item) => [item.key, item.value]),
        [['/registry/pods/default/a', 'a2']],
      );
    });

    check('limit and startAfter page through a list and report what remains', async (backend) => {
      for (const name of ['e', 'a', 'd', 'b', 'c']) await backend.create(`/registry/pods/default/${name}`, name);
      await backend.create('/registry/podsx/default/f', 'f');
      const first = await backend.list('/registry/pods/', { limit: 2 });
      assert.deepEqual(
        first.items.map((item) => item.value),
        ['a', 'b'],
      );
      assert.equal(first.remaining, 3);

      // A key written between pages is not seen when paging at the first page's revision.
      await backend.create('/registry/pods/default/bb', 'bb');
      const second = await backend.list('/registry/pods/', {
        limit: 2,
        startAfter: '/registry/pods/default/b',
        revision: first.revision,
      });
      assert.deepEqual(
        second.items.map((item) => item.value),
        ['c', 'd'],
      );
      assert.equal(second.remaining, 1);
      assert.equal(second.revision, first.revision);
      const third = await backend.list('/registry/pods/', {
        limit: 2,
        startAfter: '/registry/pods/default/d',
        revision: first.revision,
      });
      assert.deepEqual(
        third.items.map((item) => item.value),
        ['e'],
      );
      assert.equal(third.remaining, 0);

      const exact = await backend.list('/registry/pods/', { limit: 6 });
      assert.equal(exact.items.length, 6);
      assert.equal(exact.remaining, 0);
      const unlimited = await backend.list('/registry/pods/', { limit: 0 });
      assert.equal(unlimited.items.length, 6);
    });

    check('list at an older revision shows the state as of that revision', async (backend) => {
      const a = await backend.create('/registry/pods/default/a', 'a1');
      await backend.create('/registry/pods/default/b', 'b1');
      const before = await backend.currentRevision();
      await backend.update('/registry/pods/default/a', 'a2', a.modRevision);
      await backend.delete('/registry/pods/default/b');
      await backend.create('/registry/pods/default/c', 'c1');

      const old = await backend.list('/registry/pods/', { revision: before });
      assert.equal(old.revision, before);
      assert.deepEqual(
        old.items.map((item) => [item.key, item.value, item.modRevision]),
        [
          ['/registry/pods/default/a', 'a1', a.modRevision],
          ['/registry/pods/default/b', 'b1', before],
        ],
      );
      const atFirst = await backend.list('/registry/pods/', { revision: a.modRevision });
      assert.deepEqual(
        atFirst.items.map((item) => item.value),
        ['a1'],
      );
      const current = await backend.currentRevision();
      await assert.rejects(backend.list('/registry/pods/', { revision: current + 10 }), StorageError);
    });

    check('compaction keeps the state at its revision and refuses older reads', async (backend) => {
      const a = await backend.create('/registry/pods/default/a', 'a1');
      const b = await backend.create('/registry/pods/default/b', 'b1');
      const a2 = await backend.update('/registry/pods/default/a', 'a2', a.modRevision);
      await backend.delete('/registry/pods/default/b', b.modRevision);
      const compactAt = await backend.currentRevision();
      const a3 = await backend.update('/registry/pods/default/a', 'a3', a2.modRevision);
      await backend.create('/registry/pods/default/b', 'b2');

      await backend.compact(compactAt);
      assert.equal(await backend.compactRevision(), compactAt);
      await assert.rejects(backend.list('/registry/pods/', { revision: compactAt - 1 }), CompactedError);
      const atCompaction = await backend.list('/registry/pods/', { revision: compactAt });
      assert.deepEqual(
        atCompaction.items.map((item) => [item.key, item.value]),
        [['/registry/pods/default/a', 'a2']],
      );
      const now = await backend.list('/registry/pods/');
      assert.deepEqual(
        now.items.map((item) => item.value),
        ['a3', 'b2'],
      );
      assert.equal(now.items[0]?.modRevision, a3.modRevision);

      // Compacting backwards changes nothing; writes keep working after compaction.
      await backend.compact(compactAt - 1);
      assert.equal(await backend.compactRevision(), compactAt);
      await backend.update('/registry/pods/default/a', 'a4', a3.modRevision);
      await backend.delete('/registry/pods/default/a');
      const again = await backend.currentRevision();
      await backend.compact(again);
      assert.deepEqual(
        (await backend.list('/registry/pods/')).items.map((item) => item.value),
        ['b2'],
      );
      const recreated = await backend.create('/registry/pods/default/a', 'a5');
      assert.equal(recreated.createRevision, again + 1);
      await assert.rejects(backend.compact((await backend.currentRevision()) + 5), StorageError);
    });

    check('watch from 0 replays all history in revision order with prevKv', async (backend) => {
      const a = await backend.create('/registry/pods/default/a', 'a1');
      await backend.create('/registry/services/default/s', 's1');
      const a2 = await backend.update('/registry/pods/default/a', 'a2', a.modRevision);
      const deleted = await backend.delete('/registry/pods/default/a');

      const events = await collect(backend, '/registry/pods/', 0, 3);
      assert.deepEqual(
        events.map((event) => [event.type, event.revision, event.kv.value]),
        [
          ['put', a.modRevision, 'a1'],
          ['put', a2.modRevision, 'a2'],
          ['delete', deleted.modRevision, 'a2'],
        ],
      );
      assert.equal(events[0]?.prevKv, undefined);
      assert.deepEqual(events[1]?.prevKv, a);
      assert.deepEqual(events[2]?.kv, deleted);
      assert.deepEqual(events[2]?.prevKv, a2);
    });

    check('watch from a revision delivers only later events, then live ones', async (backend) => {
      await backend.create('/registry/pods/default/a', 'a1');
      const b = await backend.create('/registry/pods/default/b', 'b1');
      await backend.create('/registry/pods/default/c', 'c1');

      const events: WatchEvent[] = [];
      const watcher = backend.watch('/registry/pods/', b.modRevision, (batch) => events.push(...batch));
      try {
        // Writes right after the watch starts must follow the replay with no gap or repeat.
        const d = await backend.create('/registry/pods/default/d', 'd1');
        await backend.create('/registry/podsx/default/x', 'x');
        const d2 = await backend.update('/registry/pods/default/d', 'd2', d.modRevision);
        await waitFor(() => events.length >= 3);
        await settle();
        assert.deepEqual(
          events.map((event) => event.kv.value),
          ['c1', 'd1', 'd2'],
        );
        assert.deepEqual(events[2]?.prevKv, d);
        assert.equal(events[2]?.revision, d2.modRevision);
      } finally {
        watcher.close();
      }
    });

    check('live watch delivers each write once, in order, and nothing after close', async (backend) => {
      const current = await backend.currentRevision();
      const events: WatchEvent[] = [];
      const watcher = backend.watch('/registry/', current, (batch) => events.push(...batch));
      const expected: number[] = [];
      for (let i = 0; i < 50; i++) {
        const written = await backend.create(`/registry/pods/default/p${i}`, `${i}`);
        expected.push(written.modRevision);
        if (i % 7 === 0) await settle();
      }
      await waitFor(() => events.length >= expected.length);
      await settle();
      assert.deepEqual(
        events.map((event) => event.revision),
        expected,
      );
      watcher.close();
      await backend.create('/registry/pods/default/after-close', 'x');
      await settle();
      assert.equal(events.length, expected.length);
    });

    check('watch from a revision not yet reached starts delivering after it', async (backend) => {
      const current = await backend.currentRevision();
      const events: WatchEvent[] = [];
      const watcher = backend.watch('/registry/pods/', current + 2, (batch) => events.push(...batch));
      try {
        await backend.create('/registry/pods/default/a', 'a');
        await backend.create('/registry/pods/default/b', 'b');
        const c = await backend.create('/registry/pods/default/c', 'c');
        await waitFor(() => events.length >= 1);
        await settle();
        assert.deepEqual(
          events.map((event) => event.revision),
          [c.modRevision],
        );
      } finally {
        watcher.close();
      }
    });

    check('watch older than the compacted revision fails with CompactedError', async (backend) => {
      const a = await backend.create('/registry/pods/default/a', 'a1');
      const a2 = await backend.update('/registry/pods/default/a', 'a2', a.modRevision);
      const a3 = await backend.update('/registry/pods/default/a', 'a3', a2.modRevision);
      await backend.compact(a2.modRevision);
      assert.throws(() => backend.watch('/registry/pods/', a.modRevision, () => undefined), CompactedError);
      assert.throws(() => backend.watch('/registry/pods/', 0, () => undefined), CompactedError);
      const events = await collect(backend, '/registry/pods/', a2.modRevision, 1);
      assert.deepEqual(
        events.map((event) => event.revision),
        [a3.modRevision],
      );
      assert.deepEqual(events[0]?.prevKv, a2);
    });

    check('count counts live keys under the prefix', async (backend) => {
      await backend.create('/registry/pods/default/a', 'a');
      await backend.create('/registry/pods/default/b', 'b');
      await backend.create('/registry/podsx/default/c', 'c');
      await backend.delete('/registry/pods/default/b');
      assert.equal(await backend.count('/registry/pods/'), 1);
      assert.equal(await backend.count('/registry/'), 2);
      assert.equal(await backend.count('/registry/none/'), 0);
    });

    void test('data, revisions and the compact revision survive reopening', { timeout: TEST_TIMEOUT_MS }, (t) =>
      withBackend(async ({ backend, reopen }) => {
        if (reopen === undefined) {
          t.skip('backend keeps no data across opens');
          return;
        }
        const a = await backend.create('/registry/pods/default/a', 'a1');
        await backend.update('/registry/pods/default/a', 'a2', a.modRevision);
        const b = await backend.create('/registry/pods/default/b', 'b1');
        await backend.delete('/registry/pods/default/b');
        await backend.compact(b.modRevision);
        const revision = await backend.currentRevision();
        const before = await backend.list('/registry/');
        await backend.close();

        const reopened = await reopen();
        try {
          assert.equal(await reopened.currentRevision(), revision);
          assert.equal(await reopened.compactRevision(), b.modRevision);
          assert.deepEqual(await reopened.list('/registry/'), before);
          // Even though the newest row (a tombstone) was compacted away, revisions never repeat.
          const c = await reopened.create('/registry/pods/default/c', 'c1');
          assert.equal(c.modRevision, revision + 1);
          await assert.rejects(reopened.create('/registry/pods/default/a', 'x'), KeyExistsError);
        } finally {
          await reopened.close();
        }
      }),
    );
  });
}

/** Watches until `count` events arrived (bounded by the test timeout). */
async function collect(
  backend: StorageBackend,
  prefix: string,
  afterRevision: number,
  count: number,
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const watcher = backend.watch(prefix, afterRevision, (batch) => events.push(...batch));
  try {
    await waitFor(() => events.length >= count);
    await settle();
    assert.equal(events.length, count, 'no more events than expected');
    return events;
  } finally {
    watcher.close();
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Lets pending deliveries run, so an assertion can see that nothing more arrives. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}
