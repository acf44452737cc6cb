// The pods table: READY, the STATUS reason kubectl users know (Init:1/2, CrashLoopBackOff,
// Completed, Terminating...), RESTARTS with the time of the last one, and the wide columns.
import { ageColumn, column, nameColumn, wide, type TablePrinter, type TableRowCondition } from './columns.js';
import { ageSince, parseTimestamp } from './human-duration.js';
import { optBool, rec, records, str, int, type Obj } from './object-fields.js';
import { isRecord } from '../../lang/index.js';

// The reason the node lifecycle controller gives pods on a node that stopped answering.
const nodeUnreachableReason = 'NodeLost';

const succeededConditions: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const failedConditions: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function firstConditionIsTrue(pod: Obj, type: string): boolean {
  const found = records(pod, 'status.conditions').find((c) => str(c, 'type') === type);
  return found !== undefined && str(found, 'status') === 'True';
}

function anyConditionIsTrue(pod: Obj, type: string): boolean {
  return records(pod, 'status.conditions').some((c) => str(c, 'type') === type && str(c, 'status') === 'True');
}

/** The later of `latest` and the finish time of a container's previous run. */
function laterRestart(latest: Date | undefined, status: Obj): Date | undefined {
  const finished = parseTimestamp(rec(status, 'lastState.terminated')['finishedAt']);
  if (!finished) return latest;
  return !latest || latest < finished ? finished : latest;
}

function terminatedReason(terminated: Obj, prefix: string): string {
  const reason = str(terminated, 'reason');
  if (reason) return prefix + reason;
  const signal = int(terminated, 'signal');
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(terminated, 'exitCode')}`;
}

function podRow(pod: Obj, now: Date): unknown[] {
  const spec = rec(pod, 'spec');
  const status = rec(pod, 'status');
  const phase = str(status, 'phase');
  let reason = str(status, 'reason') || phase;
  for (const c of records(status, 'conditions')) {
    if (str(c, 'type') === 'PodScheduled' && str(c, 'reason') === 'SchedulingGated') reason = 'SchedulingGated';
  }

  // Sidecars (init containers that restart Always) count as regular containers.
  const sidecars = new Set(
    records(spec, 'initContainers')
      .filter((c) => str(c, 'restartPolicy') === 'Always')
      .map((c) => str(c, 'name')),
  );
  const totalContainers = records(spec, 'containers').length + sidecars.size;
  const initCount = records(spec, 'initContainers').length;

  let restarts = 0;
  let sidecarRestarts = 0;
  let readyContainers = 0;
  let lastRestart: Date | undefined;
  let lastSidecarRestart: Date | undefined;
  let initializing = false;

  const initStatuses = records(status, 'initContainerStatuses');
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += int(c, 'restartCount');
    lastRestart = laterRestart(lastRestart, c);
    const isSidecar = sidecars.has(str(c, 'name'));
    if (isSidecar) {
      sidecarRestarts += int(c, 'restartCount');
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const state = rec(c, 'state');
    const terminated = isRecord(state['terminated']) ? state['terminated'] : undefined;
    const waiting = isRecord(state['waiting']) ? state['waiting'] : undefined;
    if (terminated && int(terminated, 'exitCode') === 0) continue;
    if (isSidecar && optBool(c, 'started') === true) {
      if (optBool(c, 'ready') === true) readyContainers++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting && str(waiting, 'reason') !== '' && str(waiting, 'reason') !== 'PodInitializing') reason = `Init:${str(waiting, 'reason')}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }

  if (!initializing || firstConditionIsTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = records(status, 'containerStatuses');
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += int(c, 'restartCount');
      lastRestart = laterRestart(lastRestart, c);
      const state = rec(c, 'state');
      const terminated = isRecord(state['terminated']) ? state['terminated'] : undefined;
      if (isRecord(state['waiting']) && str(state['waiting'], 'reason') !== '') reason = str(state['waiting'], 'reason');
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (optBool(c, 'ready') === true && isRecord(state['running'])) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A finished container beside a running one does not make the pod Completed.
    if (reason === 'Completed' && hasRunning) reason = anyConditionIsTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = str(pod, 'metadata.deletionTimestamp') !== '';
  if (deleting && str(status, 'reason') === nodeUnreachableReason) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${ageSince(lastRestart.toISOString(), now)} ago)` : String(restarts);

  const podIPs = records(status, 'podIPs');
  const podIP = (podIPs.length > 0 ? str(podIPs[0], 'ip') : str(status, 'podIP')) || '<none>';
  const gates = records(spec, 'readinessGates');
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const conditions = records(status, 'conditions');
    const passing = gates.filter((g) => {
      const found = conditions.find((c) => str(c, 'type') === str(g, 'conditionType'));
      return found !== undefined && str(found, 'status') === 'True';
    }).length;
    readinessGates = `${passing}/${gates.length}`;
  }

  return [
    str(pod, 'metadata.name'),
    `${readyContainers}/${totalContainers}`,
    reason,
    restartText,
    ageSince(str(pod, 'metadata.creationTimestamp'), now),
    podIP,
    str(spec, 'nodeName') || '<none>',
    str(status, 'nominatedNodeName') || '<none>',
    readinessGates,
  ];
}

export const podPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready containers out of all containers.'),
    column('Status', 'string', 'Summary of the pod and container states.'),
    column('Restarts', 'string', 'Container restarts, with how long ago the last one was.'),
    ageColumn,
    wide('IP', 'string', 'The first IP address given to the pod.'),
    wide('Node', 'string', 'The node the pod is bound to.'),
    wide('Nominated Node', 'string', 'The node the scheduler expects to place the pod on after preemption.'),
    wide('Readiness Gates', 'string', 'Readiness gates that hold, out of all of them.'),
  ],
  row: podRow,
  conditions(pod) {
    const phase = str(pod, 'status.phase');
    return phase === 'Succeeded' ? succeededConditions : phase === 'Failed' ? failedConditions : undefined;
  },
};
