// Public entry of the Job controllers: pods run to completion, and finished Jobs removed after their TTL.
export { JobController } from './job-controller.js';
export { TtlAfterFinishedController } from './ttl-after-finished-controller.js';
