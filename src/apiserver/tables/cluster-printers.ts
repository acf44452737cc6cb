// Tables for cluster-level and storage objects: namespaces, nodes, events (both APIs), leases,
// priority classes, certificate signing requests, storage classes and persistent volumes/claims.
import { ageColumn, column, nameColumn, wide, type TablePrinter } from './columns.js';
import { ageSince, humanDuration, parseTimestamp } from './human-duration.js';
import {
  accessModes,
  at,
  int,
  list,
  optBool,
  optInt,
  optStr,
  quantity,
  rec,
  records,
  str,
  type Obj,
  objectAge as age,
  objectName as name,
} from './object-fields.js';
import { isRecord } from '../../lang/index.js';

export const namespacePrinter: TablePrinter = {
  columns: [nameColumn, column('Status', 'string', 'Whether the namespace is active or being deleted.'), ageColumn],
  row: (o, now) => [name(o), str(o, 'status.phase'), age(o, now)],
};

function nodeStatus(node: Obj): string {
  // Only the Ready condition is summarised; the last one of that type wins, as in kube's map.
  const ready = records(node, 'status.conditions')
    .filter((c) => str(c, 'type') === 'Ready')
    .at(-1);
  const parts = [ready ? (str(ready, 'status') === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (optBool(node, 'spec.unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: Obj): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(rec(node, 'metadata.labels'))) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && typeof value === 'string' && value !== '') {
      roles.add(value);
    }
  }
  return [...roles].sort().join(',') || '<none>';
}

const nodeAddress = (node: Obj, type: string): string =>
  str(
    records(node, 'status.addresses').find((a) => str(a, 'type') === type),
    'address',
  ) || '<none>';

export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Readiness of the node, and whether scheduling is disabled.'),
    column('Roles', 'string', 'Roles taken from node-role labels.'),
    ageColumn,
    column('Version', 'string', 'The kubelet version the node reports.'),
    wide('Internal-IP', 'string', "The node's first internal address."),
    wide('External-IP', 'string', "The node's first external address."),
    wide('OS-Image', 'string', 'The operating system image the node reports.'),
    wide('Kernel-Version', 'string', 'The kernel version the node reports.'),
    wide('Container-Runtime', 'string', 'The container runtime and version the node reports.'),
  ],
  row: (o, now) => [
    name(o),
    nodeStatus(o),
    nodeRoles(o),
    age(o, now),
    str(o, 'status.nodeInfo.kubeletVersion'),
    nodeAddress(o, 'InternalIP'),
    nodeAddress(o, 'ExternalIP'),
    str(o, 'status.nodeInfo.osImage') || '<unknown>',
    str(o, 'status.nodeInfo.kernelVersion') || '<unknown>',
    str(o, 'status.nodeInfo.containerRuntimeVersion') || '<unknown>',
  ],
};

/** Core Event fields, read from either core/v1 or events.k8s.io/v1 shape. */
interface EventView {
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: Obj | undefined;
  involvedKind: string;
  involvedName: string;
  fieldPath: string;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  message: string;
}

function eventView(o: Obj, eventsApi: boolean): EventView {
  const series = isRecord(o['series']) ? o['series'] : undefined;
  if (eventsApi) {
    return {
      firstTimestamp: o['deprecatedFirstTimestamp'],
      lastTimestamp: o['deprecatedLastTimestamp'],
      eventTime: o['eventTime'],
      count: int(o, 'deprecatedCount'),
      series,
      involvedKind: str(o, 'regarding.kind'),
      involvedName: str(o, 'regarding.name'),
      fieldPath: str(o, 'regarding.fieldPath'),
      sourceComponent: str(o, 'deprecatedSource.component'),
      sourceHost: str(o, 'deprecatedSource.host'),
      reportingController: str(o, 'reportingController'),
      reportingInstance: str(o, 'reportingInstance'),
      message: str(o, 'note'),
    };
  }
  return {
    firstTimestamp: o['firstTimestamp'],
    lastTimestamp: o['lastTimestamp'],
    eventTime: o['eventTime'],
    count: int(o, 'count'),
    series,
    involvedKind: str(o, 'involvedObject.kind'),
    involvedName: str(o, 'involvedObject.name'),
    fieldPath: str(o, 'involvedObject.fieldPath'),
    sourceComponent: str(o, 'source.component'),
    sourceHost: str(o, 'source.host'),
    reportingController: str(o, 'reportingComponent'),
    reportingInstance: str(o, 'reportingInstance'),
    message: str(o, 'message'),
  };
}

function eventRow(o: Obj, now: Date, eventsApi: boolean): unknown[] {
  const e = eventView(o, eventsApi);
  const firstSeen = parseTimestamp(e.firstTimestamp) ? ageSince(e.firstTimestamp, now) : ageSince(e.eventTime, now);
  let lastSeen = parseTimestamp(e.lastTimestamp) ? ageSince(e.lastTimestamp, now) : firstSeen;
  let count = e.count;
  if (e.series) {
    lastSeen = ageSince(e.series['lastObservedTime'], now);
    count = int(e.series, 'count');
  } else if (count === 0) {
    count = 1; // single events from the new API carry no count
  }
  const kind = e.involvedKind.toLowerCase();
  const target = e.involvedName ? `${kind}/${e.involvedName}` : kind;
  const component = e.sourceComponent || e.reportingController;
  const instance = e.sourceHost || e.reportingInstance;
  const source = instance ? `${component}, ${instance}` : component;
  return [lastSeen, str(o, 'type'), str(o, 'reason'), target, e.fieldPath, source, e.message.trim(), firstSeen, count, name(o)];
}

const eventColumns = [
  column('Last Seen', 'string', 'How long ago the event last happened.'),
  column('Type', 'string', 'Normal or Warning.'),
  column('Reason', 'string', 'Short machine-readable cause.'),
  column('Object', 'string', 'The object the event is about.'),
  wide('Subobject', 'string', 'The part of the object involved, such as a container.'),
  wide('Source', 'string', 'The component (and host) that reported the event.'),
  column('Message', 'string', 'Human-readable description.'),
  wide('First Seen', 'string', 'How long ago the event first happened.'),
  wide('Count', 'string', 'How many times it happened.'),
  column('Name', 'string', 'The event object name.', { priority: 1, format: 'name' }),
];

export const eventPrinter: TablePrinter = { columns: eventColumns, row: (o, now) => eventRow(o, now, false) };
export const eventsApiEventPrinter: TablePrinter = { columns: eventColumns, row: (o, now) => eventRow(o, now, true) };

/** `kubectl get cs`: Healthy when the Healthy condition is True, with that condition's message and error. */
export const componentStatusPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  row: (o) => {
    const healthy = records(o, 'conditions').find((c) => c['type'] === 'Healthy');
    if (!healthy) return [name(o), 'Unknown', '', ''];
    return [name(o), healthy['status'] === 'True' ? 'Healthy' : 'Unhealthy', optStr(healthy, 'message') ?? '', optStr(healthy, 'error') ?? ''];
  },
};

export const leasePrinter: TablePrinter = {
  columns: [nameColumn, column('Holder', 'string', 'Who holds the lease.'), ageColumn],
  row: (o, now) => [name(o), str(o, 'spec.holderIdentity'), age(o, now)],
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Value', 'integer', 'The priority given to pods of this class.'),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageColumn,
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt others.'),
  ],
  row: (o, now) => [name(o), int(o, 'value'), optBool(o, 'globalDefault') === true, age(o, now), str(o, 'preemptionPolicy')],
};

function csrCondition(o: Obj): string {
  const types = new Set(records(o, 'status.conditions').map((c) => str(c, 'type')));
  let text = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) text += ',Failed';
  if (str(o, 'status.certificate') !== '') text += ',Issued';
  return text;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'The signer asked to sign.'),
    column('Requestor', 'string', 'The user who made the request.'),
    column('RequestedDuration', 'string', 'The certificate lifetime asked for.'),
    column('Condition', 'string', 'Approval and issuance state.'),
  ],
  row: (o, now) => {
    const seconds = optInt(o, 'spec.expirationSeconds');
    return [
      name(o),
      age(o, now),
      str(o, 'spec.signerName') || '<none>',
      str(o, 'spec.username'),
      seconds === undefined ? '<none>' : humanDuration(seconds * 1000),
      csrCondition(o),
    ];
  },
};

const isDefaultClass = (o: Obj): boolean =>
  ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((k) => rec(o, 'metadata.annotations')[k] === 'true');

export const storageClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'The volume plugin that provisions volumes.'),
    column('ReclaimPolicy', 'string', 'What happens to released volumes.'),
    column('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    column('AllowVolumeExpansion', 'string', 'Whether volumes may be grown.'),
    ageColumn,
  ],
  row: (o, now) => [
    isDefaultClass(o) ? `${name(o)} (default)` : name(o),
    str(o, 'provisioner'),
    optStr(o, 'reclaimPolicy') ?? 'Delete',
    optStr(o, 'volumeBindingMode') ?? 'Immediate',
    optBool(o, 'allowVolumeExpansion') === true,
    age(o, now),
  ],
};

// The beta annotation, when present, still takes precedence over storageClassName.
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

function volumeClass(o: Obj): string {
  const annotations = rec(o, 'metadata.annotations');
  if (Object.prototype.hasOwnProperty.call(annotations, betaClassAnnotation))
    return typeof annotations[betaClassAnnotation] === 'string' ? annotations[betaClassAnnotation] : '';
  return str(o, 'spec.storageClassName');
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Capacity', 'string', 'The size of the volume.'),
    column('Access Modes', 'string', 'How the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'What happens to the volume once released.'),
    column('Status', 'string', 'The volume phase.'),
    column('Claim', 'string', 'The claim bound to the volume.'),
    column('StorageClass', 'string', 'The storage class of the volume.'),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the volume.'),
    column('Reason', 'string', 'Why the volume is in its phase.'),
    ageColumn,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  row: (o, now) => {
    const claimRef = at(o, 'spec.claimRef');
    return [
      name(o),
      quantity(at(o, 'spec.capacity.storage')),
      accessModes(list(o, 'spec.accessModes')),
      str(o, 'spec.persistentVolumeReclaimPolicy'),
      str(o, 'metadata.deletionTimestamp') ? 'Terminating' : str(o, 'status.phase'),
      isRecord(claimRef) ? `${str(claimRef, 'namespace')}/${str(claimRef, 'name')}` : '',
      volumeClass(o),
      optStr(o, 'spec.volumeAttributesClassName') ?? '<unset>',
      str(o, 'status.reason'),
      age(o, now),
      optStr(o, 'spec.volumeMode') ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The claim phase.'),
    column('Volume', 'string', 'The volume bound to the claim.'),
    column('Capacity', 'string', 'The size of the bound volume.'),
    column('Access Modes', 'string', 'How the bound volume can be mounted.'),
    column('StorageClass', 'string', 'The storage class of the claim.'),
    column('VolumeAttributesClass', 'string', 'The volume attributes class of the claim.'),
    ageColumn,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  row: (o, now) => {
    const volumeName = str(o, 'spec.volumeName');
    return [
      name(o),
      str(o, 'metadata.deletionTimestamp') ? 'Terminating' : str(o, 'status.phase'),
      volumeName,
      volumeName ? quantity(at(o, 'status.capacity.storage')) : '',
      volumeName ? accessModes(list(o, 'status.accessModes')) : '',
      volumeClass(o),
      optStr(o, 'spec.volumeAttributesClassName') ?? '<unset>',
      age(o, now),
      optStr(o, 'spec.volumeMode') ?? '<unset>',
    ];
  },
};
