// NodePorts: a pod's host ports must be free on the node (same protocol and port, overlapping IPs).
import { Status, type FilterPlugin } from '../framework.js';

const portsInUse = "node(s) didn't have free ports for the requested pod ports";

export const nodePortsPlugin: FilterPlugin = {
  name: 'NodePorts',
  events: ['NodeAdd', 'AssignedPodDelete'],
  filterNeeded: (_state, pod) => pod.hostPorts.length > 0,
  filter(_state, pod, node) {
    for (const p of pod.hostPorts) if (node.portInUse(p)) return new Status('Unschedulable', portsInUse);
    return undefined;
  },
};
