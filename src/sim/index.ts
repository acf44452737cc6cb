// Public entry of the node simulator behind `skiff sim`.
export { NodeSimulator, type NodeSimulatorOptions } from './node-simulator.js';
export { simulatedDownAnnotation, simulatedNodeLabel, simulatedNodeLabelValue, type NodeShape } from './simulated-node.js';
export { simulatedDurationAnnotation, simulatedExitCodeAnnotation } from './simulated-pod.js';
