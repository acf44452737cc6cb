// Public entry of the ResourceQuota controller: status.used counted from the informers.
export { ResourceQuotaController } from './resource-quota-controller.js';
