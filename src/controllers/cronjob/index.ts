// Public entry of the CronJob controller: Jobs created on a cron schedule, in a time zone.
export { CronJobController } from './cronjob-controller.js';
