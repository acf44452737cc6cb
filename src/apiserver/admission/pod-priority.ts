// Priority admission, as kube-apiserver enables by default: a pod's priorityClassName resolves to
// its PriorityClass (value and preemption policy); without one, the global default class applies.
// A class that does not exist is refused, as kube does, with 403 Forbidden.
import { ApiError, type ResourceInfo } from '../../api/index.js';
import type { AdmissionPlugin } from '../registry/admission.js';
import type { ObjectMap } from '../watch-cache.js';

export interface PriorityClassView {
  readonly name: string;
  readonly value: number;
  readonly globalDefault: boolean;
  readonly preemptionPolicy?: string;
}

/** The classes every cluster has, created by the API server at start. */
export const systemPriorityClasses: readonly (PriorityClassView & { description: string })[] = [
  {
    name: 'system-node-critical',
    value: 2000001000,
    globalDefault: false,
    description: 'Pods a node cannot work without; never preempted to make room on their node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2000000000,
    globalDefault: false,
    description: 'Pods the cluster cannot work without; they may move between nodes.',
  },
];

export class PodPriority implements AdmissionPlugin {
  readonly name = 'Priority';

  constructor(private readonly classes: () => readonly PriorityClassView[]) {}

  handles(r: ResourceInfo): boolean {
    return r.group === '' && r.resource === 'pods';
  }

  async create(_ctx: unknown, obj: ObjectMap): Promise<undefined> {
    const spec = obj.spec as { priorityClassName?: string; priority?: number; preemptionPolicy?: string } | undefined;
    if (!spec) return undefined;
    const all = this.classes();
    const name = spec.priorityClassName;
    const podName = typeof (obj.metadata as { name?: unknown } | undefined)?.name === 'string' ? (obj.metadata as { name: string }).name : '';
    let cls: PriorityClassView | undefined;
    if (name) {
      cls = all.find((c) => c.name === name);
      if (!cls) throw ApiError.forbidden({ group: '', resource: 'pods', name: podName }, `no PriorityClass with name ${name} was found`);
    } else {
      cls = all.filter((c) => c.globalDefault).sort((a, b) => a.value - b.value)[0];
      if (cls) spec.priorityClassName = cls.name;
    }
    if (!cls) return undefined;
    if (spec.priority !== undefined && spec.priority !== 0 && spec.priority !== cls.value) {
      throw ApiError.forbidden(
        { group: '', resource: 'pods', name: podName },
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${cls.value} from the given PriorityClass name`,
      );
    }
    spec.priority = cls.value;
    spec.preemptionPolicy = cls.preemptionPolicy ?? 'PreemptLowerPriority';
    return undefined;
  }
}
