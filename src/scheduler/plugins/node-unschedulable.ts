// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import { Status, type FilterPlugin } from '../framework.js';
import { tolerates } from '../../api/index.js';

const nodeUnschedulableReason = 'node(s) were unschedulable';
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

export const nodeUnschedulablePlugin: FilterPlugin = {
  name: 'NodeUnschedulable',
  events: ['NodeAdd', 'NodeUpdate'],
  filter(_state, pod, node) {
    if (!node.node?.spec?.unschedulable) return undefined;
    const tolerated = (pod.pod.spec?.tolerations ?? []).some((t) => tolerates(t, unschedulableTaint));
    return tolerated ? undefined : new Status('UnschedulableAndUnresolvable', nodeUnschedulableReason);
  },
};
