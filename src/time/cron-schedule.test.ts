import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cronScheduleError, parseCronSchedule } from './cron-schedule.js';
import { Zone } from './zoned-time.js';

const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString());
const nexts = (schedule: string, from: string, count: number, zone = 'UTC') => {
  const s = parseCronSchedule(schedule, zone);
  const out: string[] = [];
  let t: number | undefined = Date.parse(from);
  for (let i = 0; i < count && t !== undefined; i++) {
    t = s.next(t);
    out.push(iso(t));
  }
  return out;
};

describe('cron schedule', () => {
  test('every minute, steps, ranges and lists', () => {
    assert.deepEqual(nexts('* * * * *', '2026-01-01T00:00:30Z', 2), ['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z']);
    assert.deepEqual(nexts('*/15 * * * *', '2026-01-01T00:14:59Z', 3), ['2026-01-01T00:15:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:45:00.000Z']);
    assert.deepEqual(nexts('5-7,30 9 * * *', '2026-01-01T09:06:00Z', 3), ['2026-01-01T09:07:00.000Z', '2026-01-01T09:30:00.000Z', '2026-01-02T09:05:00.000Z']);
    assert.deepEqual(nexts('10/20 * * * *', '2026-01-01T00:00:00Z', 3), ['2026-01-01T00:10:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:50:00.000Z']);
  });

  test('names of months and days; day-of-month OR day-of-week when both are restricted', () => {
    // 2026-02-01 is a Sunday.
    assert.deepEqual(nexts('0 12 * FEB sun', '2026-01-15T00:00:00Z', 2), ['2026-02-01T12:00:00.000Z', '2026-02-08T12:00:00.000Z']);
    assert.deepEqual(nexts('0 0 13 * fri', '2026-02-10T00:00:00Z', 3), ['2026-02-13T00:00:00.000Z', '2026-02-20T00:00:00.000Z', '2026-02-27T00:00:00.000Z']);
    assert.deepEqual(nexts('0 0 13 * MON-FRI', '2026-03-12T00:00:00Z', 2), ['2026-03-13T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
    // A stepped `*` is not a star: 1st of month OR Sunday.
    assert.deepEqual(nexts('0 0 1 * */7', '2026-03-02T00:00:00Z', 2), ['2026-03-08T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
  });

  test('descriptors and @every', () => {
    assert.deepEqual(nexts('@hourly', '2026-01-01T00:00:00Z', 1), ['2026-01-01T01:00:00.000Z']);
    assert.deepEqual(nexts('@daily', '2026-01-01T00:00:00Z', 1), ['2026-01-02T00:00:00.000Z']);
    assert.deepEqual(nexts('@weekly', '2026-01-01T00:00:00Z', 1), ['2026-01-04T00:00:00.000Z']);
    assert.deepEqual(nexts('@monthly', '2026-01-31T00:00:00Z', 1), ['2026-02-01T00:00:00.000Z']);
    assert.deepEqual(nexts('@yearly', '2026-06-01T00:00:00Z', 1), ['2027-01-01T00:00:00.000Z']);
    assert.deepEqual(nexts('@every 90s', '2026-01-01T00:00:00.500Z', 2), ['2026-01-01T00:01:30.000Z', '2026-01-01T00:03:00.000Z']);
    assert.deepEqual(nexts('0 0 30 2 *', '2026-01-01T00:00:00Z', 1), ['none']);
  });

  test('parse errors carry robfig/cron wording', () => {
    assert.throws(() => parseCronSchedule('* * * *'), { message: 'expected exactly 5 fields, found 4: [* * * *]' });
    assert.throws(() => parseCronSchedule('61 * * * *'), { message: 'end of range (61) above maximum (59): 61' });
    assert.throws(() => parseCronSchedule('@fortnightly'), { message: 'unrecognized descriptor: @fortnightly' });
    assert.throws(() => parseCronSchedule('*/0 * * * *'), { message: 'step of range should be a positive number: */0' });
    assert.throws(() => parseCronSchedule('* * * * 7'), { message: 'end of range (7) above maximum (6): 7' });
    assert.throws(() => parseCronSchedule('* * * * *', 'Mars/Base'), { message: 'provided bad location Mars/Base: unknown time zone Mars/Base' });
  });

  test('time zones: wall-clock times in the zone', () => {
    assert.deepEqual(nexts('0 9 * * *', '2026-07-01T00:00:00Z', 1, 'Europe/Berlin'), ['2026-07-01T07:00:00.000Z']);
    assert.deepEqual(nexts('0 9 * * *', '2026-01-01T00:00:00Z', 1, 'Asia/Kolkata'), ['2026-01-01T03:30:00.000Z']);
  });

  test('DST: a time in the skipped hour does not fire that day; one in the repeated hour fires twice', () => {
    // New York springs forward on 2026-03-08 at 02:00 EST and falls back on 2026-11-01 at 02:00 EDT.
    assert.deepEqual(nexts('30 2 * * *', '2026-03-07T12:00:00Z', 2, 'America/New_York'), ['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
    assert.deepEqual(nexts('30 1 * * *', '2026-10-31T12:00:00Z', 3, 'America/New_York'), [
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    // Daily midnight keeps to wall-clock midnight on both sides of the change.
    assert.deepEqual(nexts('0 0 * * *', '2026-03-07T12:00:00Z', 2, 'America/New_York'), ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    // Hourly across the spring gap: 01:00 EST then 03:00 EDT, an hour apart.
    assert.deepEqual(nexts('0 * * * *', '2026-03-08T05:30:00Z', 2, 'America/New_York'), ['2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z']);
  });

  test('zones format RFC 3339 with their offset and build instants from wall time as Go does', () => {
    const ny = new Zone('America/New_York');
    assert.equal(ny.rfc3339(Date.parse('2026-07-04T16:00:00Z')), '2026-07-04T12:00:00-04:00');
    assert.equal(new Zone('UTC').rfc3339(Date.parse('2026-07-04T16:00:00Z')), '2026-07-04T16:00:00Z');
    assert.equal(new Zone('Asia/Kathmandu').rfc3339(Date.parse('2026-07-04T16:00:00Z')), '2026-07-04T21:45:00+05:45');
    // 02:30 does not exist on 2026-03-08 in New York; 01:30 on 2026-11-01 exists twice (first: EDT).
    assert.equal(iso(ny.fromWall(2026, 3, 8, 2, 30)), '2026-03-08T06:30:00.000Z');
    assert.equal(iso(ny.fromWall(2026, 11, 1, 1, 30)), '2026-11-01T05:30:00.000Z');
  });
});

test('cron schedules are checked with the cron parser messages', () => {
  assert.equal(cronScheduleError('*/5 * * * *'), undefined);
  assert.equal(cronScheduleError('0 0 * JAN-MAR mon-fri'), undefined);
  assert.equal(cronScheduleError('@hourly'), undefined);
  assert.equal(cronScheduleError('@every 1h30m'), undefined);
  assert.equal(cronScheduleError('bad'), 'expected exactly 5 fields, found 1: [bad]');
  assert.equal(cronScheduleError('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(cronScheduleError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(cronScheduleError('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  assert.equal(cronScheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError('@fortnightly'), 'unrecognized descriptor: @fortnightly');
  assert.equal(cronScheduleError(''), 'empty spec string');
  assert.equal(cronScheduleError('TZ=Mars/Olympus 0 * * * *'), 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus');
  assert.equal(cronScheduleError('@every 10'), 'failed to parse duration @every 10: time: missing unit in duration "10"');
  assert.equal(cronScheduleError('@every -5s'), 'failed to parse duration @every -5s: time: invalid duration "-5s"');
});
