// Public entry of the node controllers: lifecycle (health, taints), IPAM (pod CIDRs) and taint eviction.
export { NodeIpamController } from './node-ipam-controller.js';
export { NodeLifecycleController } from './node-lifecycle-controller.js';
export { TaintEvictionController } from './taint-eviction-controller.js';
