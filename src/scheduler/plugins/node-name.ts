// NodeName: a pod that names its node (spec.nodeName) fits only there.
import { Status, type FilterPlugin } from '../framework.js';

const nodeNameMismatch = "node(s) didn't match the requested node name";

export const nodeNamePlugin: FilterPlugin = {
  name: 'NodeName',
  events: ['NodeAdd'],
  filterNeeded: (_state, pod) => Boolean(pod.pod.spec?.nodeName),
  filter(_state, pod, node) {
    const wanted = pod.pod.spec?.nodeName;
    return wanted && wanted !== node.name ? new Status('UnschedulableAndUnresolvable', nodeNameMismatch) : undefined;
  },
};
