// Time primitives shared by validation, the controllers, the simulator and the CLI: Go durations,
// cron schedules as robfig/cron reads them, and wall-clock time in IANA zones.
export { formatGoDuration, parseGoDuration, parseGoDurationMs, tryParseGoDuration } from './go-duration.js';
export { cronScheduleError, parseCronSchedule, type CronSchedule } from './cron-schedule.js';
export { Zone } from './zoned-time.js';
