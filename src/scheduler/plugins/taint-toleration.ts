// TaintToleration: NoSchedule and NoExecute taints keep out pods without a matching toleration;
// untolerated PreferNoSchedule taints lower a node's score.
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { tolerates } from '../../api/index.js';
import type { CycleState } from '../framework.js';
import { Status, defaultNormalize, type FilterPlugin, type PluginState, type ScorePlugin } from '../framework.js';
import type { PodInfo } from '../pod-info.js';

const untoleratedTaintReason = 'node(s) had untolerated taint(s)';

class PreferNoScheduleTolerations implements PluginState {
  constructor(readonly tolerations: readonly Toleration[]) {}
  clone(): PluginState {
    return this;
  }
}

const stateKey = 'PreScoreTaintToleration';

export const taintTolerationPlugin: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  events: ['NodeAdd', 'NodeUpdate'],
  filter(_state, pod, node) {
    const tolerations = pod.pod.spec?.tolerations ?? [];
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerations.some((t) => tolerates(t, taint))) return new Status('UnschedulableAndUnresolvable', untoleratedTaintReason);
    }
    return undefined;
  },
  preScore(state: CycleState, pod: PodInfo) {
    const relevant = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(stateKey, new PreferNoScheduleTolerations(relevant));
    return true;
  },
  score(state, _pod, node) {
    const tolerations = state.read<PreferNoScheduleTolerations>(stateKey)?.tolerations ?? [];
    let untolerated = 0;
    for (const taint of node.taints) {
      if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint))) untolerated++;
    }
    return untolerated;
  },
  normalize(_state, scores) {
    defaultNormalize(scores, true);
  },
};
