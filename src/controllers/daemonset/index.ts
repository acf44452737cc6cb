// Public entry of the DaemonSet controller: one pod on every node that fits, rolled node by node.
export { DaemonSetController } from './daemonset-controller.js';
