// ImageLocality: favours nodes that already have the pod's images, weighted by image size and by how
// widely the image is spread (an image on every node says little about any one of them).
import type { CycleState } from '../framework.js';
import { maxNodeScore, type PluginState, type ScorePlugin } from '../framework.js';
import { normalizedImageName } from '../node-info.js';

const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;
const stateKey = 'PreScoreImageLocality';

class ImageSpread implements PluginState {
  constructor(
    readonly images: readonly string[],
    /** image → fraction of nodes that have it */
    readonly spread: ReadonlyMap<string, number>,
  ) {}
  clone(): PluginState {
    return this;
  }
}

export const imageLocalityPlugin: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  preScore(state: CycleState, pod, _nodes, cluster) {
    const spec = pod.pod.spec;
    const images = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
    const total = cluster.nodes.length;
    const spread = new Map<string, number>();
    let anywhere = false;
    for (const image of images) {
      const nodesWithImage = cluster.imageNodeCount(image);
      if (nodesWithImage > 0) anywhere = true;
      spread.set(image, total === 0 ? 0 : nodesWithImage / total);
    }
    // No node has any of the images: every node would score 0.
    if (!anywhere) return false;
    state.write(stateKey, new ImageSpread(images, spread));
    return true;
  },
  score(state, _pod, node) {
    const s = state.read<ImageSpread>(stateKey);
    if (!s || s.images.length === 0) return 0;
    let sum = 0;
    for (const image of s.images) {
      const size = node.imageSizes.get(image);
      if (size !== undefined) sum += Math.trunc(size * (s.spread.get(image) ?? 0));
    }
    const maxThreshold = maxContainerThreshold * s.images.length;
    const clamped = Math.min(Math.max(sum, minThreshold), maxThreshold);
    return Math.trunc((maxNodeScore * (clamped - minThreshold)) / (maxThreshold - minThreshold));
  },
};
