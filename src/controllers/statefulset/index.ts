// Public entry of the StatefulSet controller: ordered pods with stable names and claims.
export { StatefulSetController } from './statefulset-controller.js';
