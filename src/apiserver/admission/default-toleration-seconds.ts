// DefaultTolerationSeconds admission, as kube-apiserver enables by default: every new pod that
// does not say otherwise tolerates the not-ready and unreachable node taints for 300 seconds,
// so the node lifecycle controller evicts it five minutes after its node goes away.
import type { ResourceInfo } from '../../api/index.js';
import type { AdmissionPlugin } from '../registry/admission.js';
import type { ObjectMap } from '../watch-cache.js';

const taints = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';

  constructor(private readonly seconds = 300) {}

  handles(r: ResourceInfo): boolean {
    return r.group === '' && r.resource === 'pods';
  }

  async create(_ctx: unknown, obj: ObjectMap): Promise<undefined> {
    const spec = obj.spec as { tolerations?: Array<Toleration | null> } | undefined;
    if (!spec) return undefined;
    const tolerations: Array<Toleration | null> = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    for (const key of taints) {
      // Typed decoding has made null items empty tolerations; anything else is left for validation to refuse.
      const covered = tolerations.some(
        (t) =>
          t !== null &&
          typeof t === 'object' &&
          (t.key === key || (t.key === undefined && t.operator === 'Exists')) &&
          (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'),
      );
      if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.seconds });
    }
    spec.tolerations = tolerations;
    return undefined;
  }
}
