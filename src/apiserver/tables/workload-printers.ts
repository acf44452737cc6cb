// Tables for the workload controllers and their helpers: pod templates, replication controllers,
// replica sets, deployments, stateful sets, daemon sets, jobs, cron jobs, controller revisions,
// horizontal pod autoscalers and pod disruption budgets.
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn, type TablePrinter } from './columns.js';
import { ageSince, humanDuration, parseTimestamp } from './human-duration.js';
import {
  boolPointer,
  containerCells,
  count,
  formatLabels,
  formatLabelSelector,
  int,
  intOrString,
  labelSelectorText,
  optInt,
  optStr,
  optBool,
  rec,
  records,
  str,
  at,
  type Obj,
  objectAge as age,
  objectName as name,
} from './object-fields.js';
import { isRecord } from '../../lang/index.js';

const templateContainers = (o: Obj, path: string): [string, string] => containerCells(records(o, path));

// The wide tail most controllers share: containers, images and the pod selector.
const templateColumns = [containersColumn, imagesColumn, selectorColumn];
const templateCells = (o: Obj, containersPath: string, selector: string): [string, string, string] => [...templateContainers(o, containersPath), selector];

export const podTemplatePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Containers', 'string', 'Container names in the template.'),
    column('Images', 'string', 'Container images in the template.'),
    column('Pod Labels', 'string', 'Labels the template gives its pods.'),
  ],
  row: (o) => [name(o), ...templateContainers(o, 'template.spec.containers'), formatLabels(at(o, 'template.metadata.labels'))],
};

const replicaColumns = [
  nameColumn,
  column('Desired', 'integer', 'Replicas asked for.'),
  column('Current', 'integer', 'Replicas that exist.'),
  column('Ready', 'integer', 'Replicas that are ready.'),
  ageColumn,
  ...templateColumns,
];

/** RC and ReplicaSet rows differ only in how the selector prints (a label map or a LabelSelector). */
function replicaPrinter(selector: (o: Obj) => string): TablePrinter {
  return {
    columns: replicaColumns,
    row: (o, now) => [
      name(o),
      int(o, 'spec.replicas'),
      int(o, 'status.replicas'),
      int(o, 'status.readyReplicas'),
      age(o, now),
      ...templateCells(o, 'spec.template.spec.containers', selector(o)),
    ],
  };
}

export const replicationControllerPrinter = replicaPrinter((o) => formatLabels(at(o, 'spec.selector')));
export const replicaSetPrinter = replicaPrinter((o) => formatLabelSelector(at(o, 'spec.selector')));

export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready replicas out of desired replicas.'),
    column('Up-to-date', 'string', 'Replicas running the latest pod template.'),
    column('Available', 'string', 'Replicas available to serve.'),
    ageColumn,
    ...templateColumns,
  ],
  row: (o, now) => [
    name(o),
    `${int(o, 'status.readyReplicas')}/${int(o, 'spec.replicas')}`,
    int(o, 'status.updatedReplicas'),
    int(o, 'status.availableReplicas'),
    age(o, now),
    // Deployments print the bare selector text: '' when empty, <invalid> when it cannot parse.
    ...templateCells(o, 'spec.template.spec.containers', labelSelectorText(at(o, 'spec.selector')) ?? '<invalid>'),
  ],
};

export const statefulSetPrinter: TablePrinter = {
  columns: [nameColumn, column('Ready', 'string', 'Ready replicas out of desired replicas.'), ageColumn, containersColumn, imagesColumn],
  row: (o, now) => [
    name(o),
    `${int(o, 'status.readyReplicas')}/${int(o, 'spec.replicas')}`,
    age(o, now),
    ...templateContainers(o, 'spec.template.spec.containers'),
  ],
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Nodes running the daemon pod.'),
    column('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Nodes running the latest daemon pod.'),
    column('Available', 'integer', 'Nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Node labels the daemon pods are limited to.'),
    ageColumn,
    ...templateColumns,
  ],
  row: (o, now) => [
    name(o),
    int(o, 'status.desiredNumberScheduled'),
    int(o, 'status.currentNumberScheduled'),
    int(o, 'status.numberReady'),
    int(o, 'status.updatedNumberScheduled'),
    int(o, 'status.numberAvailable'),
    formatLabels(at(o, 'spec.template.spec.nodeSelector')),
    age(o, now),
    ...templateCells(o, 'spec.template.spec.containers', formatLabelSelector(at(o, 'spec.selector'))),
  ],
};

/** The value of the first condition of a type, as kube's job printer looks it up. */
function jobCondition(job: Obj, type: string): boolean {
  const found = records(job, 'status.conditions').find((c) => str(c, 'type') === type);
  return found !== undefined && str(found, 'status') === 'True';
}

function jobStatus(job: Obj): string {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (str(job, 'metadata.deletionTimestamp') !== '') return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Where the job stands: Running, Complete, Failed...'),
    column('Completions', 'string', 'Succeeded pods out of the completions asked for.'),
    column('Duration', 'string', 'How long the job ran, or has been running.'),
    ageColumn,
    ...templateColumns,
  ],
  row: (o, now) => {
    const succeeded = int(o, 'status.succeeded');
    const completions = optInt(o, 'spec.completions');
    const parallelism = optInt(o, 'spec.parallelism') ?? 0;
    let completionsText: string;
    if (completions !== undefined) completionsText = `${succeeded}/${completions}`;
    else completionsText = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    const start = parseTimestamp(at(o, 'status.startTime'));
    const end = parseTimestamp(at(o, 'status.completionTime'));
    const duration = !start ? '' : humanDuration((end ?? now).getTime() - start.getTime());
    return [
      name(o),
      jobStatus(o),
      completionsText,
      duration,
      age(o, now),
      ...templateCells(o, 'spec.template.spec.containers', formatLabelSelector(at(o, 'spec.selector'))),
    ];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The cron schedule.'),
    column('Timezone', 'string', 'Time zone the schedule is read in.'),
    column('Suspend', 'boolean', 'Whether new runs are held back.'),
    column('Active', 'integer', 'Jobs running now.'),
    column('Last Schedule', 'string', 'How long ago a job was last started.'),
    ageColumn,
    ...templateColumns,
  ],
  row: (o, now) => {
    const last = at(o, 'status.lastScheduleTime');
    return [
      name(o),
      str(o, 'spec.schedule'),
      optStr(o, 'spec.timeZone') ?? '<none>',
      boolPointer(optBool(o, 'spec.suspend')),
      count(o, 'status.active'),
      typeof last === 'string' ? ageSince(last, now) : '<none>',
      age(o, now),
      ...templateCells(o, 'spec.jobTemplate.spec.template.spec.containers', formatLabelSelector(at(o, 'spec.jobTemplate.spec.selector'))),
    ];
  },
};

/** `kind.group/name` of the owner marked as controller, lower-cased as kube prints it. */
function controllerOf(o: Obj): string {
  const owner = records(o, 'metadata.ownerReferences').find((r) => r['controller'] === true);
  if (!owner) return '<none>';
  const apiVersion = str(owner, 'apiVersion');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(owner, 'kind');
  if (!kind && !group) return str(owner, 'name');
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${str(owner, 'name')}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [nameColumn, column('Controller', 'string', 'The object that owns this revision.'), column('Revision', 'string', 'The revision number.'), ageColumn],
  row: (o, now) => [name(o), controllerOf(o), int(o, 'revision'), age(o, now)],
};

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'Pods that must stay available.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Pods that may be disrupted right now.'),
    ageColumn,
  ],
  row: (o, now) => {
    const min = at(o, 'spec.minAvailable');
    const max = at(o, 'spec.maxUnavailable');
    return [
      name(o),
      min === undefined || min === null ? 'N/A' : intOrString(min),
      max === undefined || max === null ? 'N/A' : intOrString(max),
      int(o, 'status.disruptionsAllowed'),
      age(o, now),
    ];
  },
};

/** Quantity pointers print `<nil>` when unset, as a nil *Quantity's String() does. */
const quantityPointer = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '<nil>');

/** One HPA metric as `current/target`, following formatHPAMetrics. */
function hpaMetric(spec: Obj, current: Obj | undefined): string {
  const type = str(spec, 'type');
  const sourceKey = { External: 'external', Pods: 'pods', Object: 'object', Resource: 'resource', ContainerResource: 'containerResource' }[type];
  if (!sourceKey) return '<unknown type>';
  const source = rec(spec, sourceKey);
  const target = rec(source, 'target');
  const status = current && isRecord(current[sourceKey]) ? rec(current, `${sourceKey}.current`) : undefined;
  switch (type) {
    case 'External':
    case 'Object':
      if (target['averageValue'] !== undefined) {
        const now = status && status['averageValue'] !== undefined ? quantityPointer(status['averageValue']) : '<unknown>';
        return `${now}/${quantityPointer(target['averageValue'])} (avg)`;
      }
      return `${status ? quantityPointer(status['value']) : '<unknown>'}/${quantityPointer(target['value'])}`;
    case 'Pods':
      return `${status ? quantityPointer(status['averageValue']) : '<unknown>'}/${quantityPointer(target['averageValue'])}`;
    default: {
      const resource = str(source, 'name');
      if (target['averageValue'] !== undefined) {
        return `${resource}: ${status ? quantityPointer(status['averageValue']) : '<unknown>'}/${quantityPointer(target['averageValue'])}`;
      }
      const now = status && typeof status['averageUtilization'] === 'number' ? `${status['averageUtilization']}%` : '<unknown>';
      const want = typeof target['averageUtilization'] === 'number' ? `${target['averageUtilization']}%` : '<auto>';
      return `${resource}: ${now}/${want}`;
    }
  }
}

/** autoscaling/v1 objects carry one CPU target; seen through v2 it is a Resource metric. */
function hpaMetrics(o: Obj, v1: boolean): { specs: Obj[]; statuses: Obj[] } {
  if (!v1) return { specs: [...records(o, 'spec.metrics')], statuses: [...records(o, 'status.currentMetrics')] };
  const target = optInt(o, 'spec.targetCPUUtilizationPercentage');
  const currentCPU = optInt(o, 'status.currentCPUUtilizationPercentage');
  if (target === undefined) return { specs: [], statuses: [] };
  return {
    specs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
    statuses: currentCPU === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPU } } }],
  };
}

function hpaTargets(o: Obj): string {
  const v1 = str(o, 'apiVersion') === 'autoscaling/v1' || (at(o, 'spec.metrics') === undefined && at(o, 'spec.targetCPUUtilizationPercentage') !== undefined);
  const { specs: declared, statuses } = hpaMetrics(o, v1);
  // kube stores HPAs as autoscaling/v2, whose defaulting gives a target-less HPA 80% CPU.
  const specs = declared.length > 0 ? declared : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  const shown = specs.map((s, i) => hpaMetric(s, statuses[i]));
  if (shown.length > 2) return `${shown.slice(0, 2).join(', ')} + ${shown.length - 2} more...`;
  return shown.join(', ');
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Reference', 'string', 'The workload being scaled.'),
    column('Targets', 'string', 'Current and target values of each metric.'),
    column('MinPods', 'string', 'Lower replica bound.'),
    column('MaxPods', 'string', 'Upper replica bound.'),
    column('Replicas', 'string', 'Replicas seen at the last check.'),
    ageColumn,
  ],
  row: (o, now) => {
    const min = optInt(o, 'spec.minReplicas');
    return [
      name(o),
      `${str(o, 'spec.scaleTargetRef.kind')}/${str(o, 'spec.scaleTargetRef.name')}`,
      hpaTargets(o),
      min === undefined ? '<unset>' : String(min),
      int(o, 'spec.maxReplicas'),
      int(o, 'status.currentReplicas'),
      age(o, now),
    ];
  },
};
