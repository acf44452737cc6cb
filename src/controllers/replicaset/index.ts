// Public entry of the ReplicaSet controller, which also runs ReplicationControllers.
export { ReplicaSetController, replicationControllerKind } from './replicaset-controller.js';
