// Runs the scheduler on its own worker thread of the server process, as kube-scheduler runs beside
// kube-apiserver: it still talks to the API over HTTPS, but its informers' JSON, its TLS and its
// scheduling cycles use the second core instead of the API server's event loop.
import { Worker } from 'node:worker_threads';
import { log, type LogFormat } from '../log/index.js';

export interface SchedulerThreadOptions {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
  readonly verbosity: number;
  readonly logFormat: LogFormat;
}

export interface SchedulerThread {
  /** Asks the scheduler to stop (releasing its lease) and resolves once the thread has ended (at most 3 s). */
  stop(): Promise<void>;
}

const stopGraceMs = 3_000;

export function startSchedulerThread(options: SchedulerThreadOptions): SchedulerThread {
  const worker = new Worker(new URL('./scheduler-thread-main.js', import.meta.url), { workerData: options });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (err) => log.error('Scheduler thread failed', err));
  return {
    async stop() {
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, stopGraceMs)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
