// The scheduler thread's entry (see scheduler-thread.ts): builds its own API client and logger from
// the options it was started with and schedules until the server asks it to stop.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiClient } from '../client/index.js';
import { Logger, setLogger } from '../log/index.js';
import { runScheduler } from './index.js';
import type { SchedulerThreadOptions } from './scheduler-thread.js';

const options = workerData as SchedulerThreadOptions;
setLogger(new Logger({ verbosity: options.verbosity, format: options.logFormat }));
const client = new ApiClient({ server: options.server, caPem: options.caPem, token: options.token, userAgent: 'skiff-scheduler', maxSockets: 16 });
const stop = new AbortController();
parentPort?.on('message', (message) => {
  if (message === 'stop') stop.abort();
});
await runScheduler(client, stop.signal);
client.close();
parentPort?.close();
