// Public entry of the ServiceAccount controller: a default ServiceAccount in every namespace.
export { ServiceAccountController } from './service-account-controller.js';
