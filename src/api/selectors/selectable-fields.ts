// Which field labels each resource accepts in a field selector, and how each reads off an object,
// following kube's field-label conversion functions and the registries' selectable field sets.
import { isRecord } from '../../lang/index.js';

export interface SelectableFieldOptions {
  /** For custom resources: the CRD version's `selectableFields[].jsonPath` values without the dot. */
  readonly customFields?: readonly string[];
  /** Custom resources only: a cluster-scoped CRD does not accept metadata.namespace. */
  readonly clusterScoped?: boolean;
}

type Obj = Readonly<Record<string, unknown>>;

export interface SelectableFields {
  /** The internal field name a label maps to, or the exact error kube-apiserver gives for it. */
  convert(label: string): string | { error: string };
  /** The selectable value of an (internal) field on an object; '' when absent. */
  valueOf(object: Obj, field: string): string;
  /** Every internal field's value on an object: what a cache keeps to match selectors without the object. */
  fieldSet(object: Obj): Record<string, string>;
}

/** Reads a dotted path; non-string scalars print as Go would format them for a fields.Set. */
function pathValue(object: Obj, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return '';
    current = current[part];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return '';
}

function firstPodIP(pod: Obj): string {
  const status = isRecord(pod['status']) ? pod['status'] : {};
  const ips = status['podIPs'];
  if (Array.isArray(ips) && ips.length > 0 && isRecord(ips[0])) return typeof ips[0]['ip'] === 'string' ? ips[0]['ip'] : '';
  return typeof status['podIP'] === 'string' ? status['podIP'] : '';
}

/** Integers a registry formats with strconv.Itoa, which prints 0 when unset. */
const intField = (object: Obj, path: string): string => pathValue(object, path) || '0';
const boolField = (object: Obj, path: string): string => pathValue(object, path) || 'false';

interface Spec {
  /** Accepted labels mapped to the internal field name they select on. */
  readonly labels: Readonly<Record<string, string>>;
  /** Internal field name to value; fields not listed read straight from the object path. */
  readonly values?: Readonly<Record<string, (o: Obj) => string>>;
  readonly error: (label: string) => string;
}

const notSupported = (label: string): string => `field label not supported: ${label}`;
const identity = (...labels: string[]): Record<string, string> => Object.fromEntries(labels.map((l) => [l, l]));

const eventValues: Readonly<Record<string, (o: Obj) => string>> = {
  source: (o) => pathValue(o, 'source.component') || pathValue(o, 'reportingComponent'),
};

// events.k8s.io names map onto core Event's selectable fields; values read from the new shape.
const eventsV1Values: Readonly<Record<string, (o: Obj) => string>> = {
  'involvedObject.kind': (o) => pathValue(o, 'regarding.kind'),
  'involvedObject.namespace': (o) => pathValue(o, 'regarding.namespace'),
  'involvedObject.name': (o) => pathValue(o, 'regarding.name'),
  'involvedObject.uid': (o) => pathValue(o, 'regarding.uid'),
  'involvedObject.apiVersion': (o) => pathValue(o, 'regarding.apiVersion'),
  'involvedObject.resourceVersion': (o) => pathValue(o, 'regarding.resourceVersion'),
  'involvedObject.fieldPath': (o) => pathValue(o, 'regarding.fieldPath'),
  reportingComponent: (o) => pathValue(o, 'reportingController'),
};

const specs: Readonly<Record<string, Spec>> = {
  '/pods': {
    labels: {
      ...identity(
        'metadata.name',
        'metadata.namespace',
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        // Accepted by the conversion but absent from the pod's field set, so it only matches ''.
        'status.podIPs',
        'status.nominatedNodeName',
      ),
      'spec.host': 'spec.nodeName',
    },
    values: {
      'spec.hostNetwork': (o) => boolField(o, 'spec.hostNetwork'),
      'status.podIP': firstPodIP,
      'status.podIPs': () => '',
    },
    error: notSupported,
  },
  '/nodes': {
    labels: identity('metadata.name', 'spec.unschedulable'),
    values: { 'spec.unschedulable': (o) => boolField(o, 'spec.unschedulable') },
    error: notSupported,
  },
  '/replicationcontrollers': {
    labels: identity('metadata.name', 'metadata.namespace', 'status.replicas'),
    values: { 'status.replicas': (o) => intField(o, 'status.replicas') },
    error: notSupported,
  },
  '/events': {
    labels: identity(
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ),
    values: eventValues,
    error: notSupported,
  },
  'events.k8s.io/events': {
    labels: {
      reason: 'reason',
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
      type: 'type',
      'metadata.namespace': 'metadata.namespace',
      'metadata.name': 'metadata.name',
    },
    values: eventsV1Values,
    error: notSupported,
  },
  '/namespaces': { labels: identity('status.phase', 'metadata.name'), error: notSupported },
  '/secrets': { labels: identity('type', 'metadata.namespace', 'metadata.name'), error: notSupported },
  '/services': { labels: identity('metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'), error: notSupported },
  'batch/jobs': {
    labels: identity('metadata.name', 'metadata.namespace', 'status.successful'),
    values: { 'status.successful': (o) => intField(o, 'status.succeeded') },
    error: (label) => `field label ${JSON.stringify(label)} not supported for batchv1.Job`,
  },
  // apps/v1 registers only StatefulSet (its message still names v1beta2); the registry's field set
  // has no status.successful, so that label only ever matches ''.
  'apps/statefulsets': {
    labels: identity('metadata.name', 'metadata.namespace', 'status.successful'),
    values: { 'status.successful': () => '' },
    error: (label) => `field label not supported for appsv1beta2.StatefulSet: ${label}`,
  },
  'certificates.k8s.io/certificatesigningrequests': { labels: identity('metadata.name', 'spec.signerName'), error: notSupported },
  'certificates.k8s.io/clustertrustbundles': { labels: identity('metadata.name', 'spec.signerName'), error: notSupported },
};

const defaultError = (label: string): string => `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`;

/** The selectable fields of one resource (`group` '' is core). */
export function selectableFieldsFor(group: string, resource: string, options: SelectableFieldOptions = {}): SelectableFields {
  const spec = specs[`${group}/${resource}`];
  if (spec) {
    const valueOf = (object: Obj, field: string): string => spec.values?.[field]?.(object) ?? pathValue(object, field);
    return {
      convert: (label) => spec.labels[label] ?? { error: spec.error(label) },
      valueOf,
      fieldSet: fieldSetOf([...new Set(Object.values(spec.labels))], valueOf),
    };
  }
  if (options.customFields) {
    const custom = new Set(options.customFields);
    return {
      convert: (label) =>
        label === 'metadata.name' || (label === 'metadata.namespace' && !options.clusterScoped) || custom.has(label) ? label : { error: notSupported(label) },
      valueOf: pathValue,
      fieldSet: fieldSetOf(['metadata.name', 'metadata.namespace', ...custom], pathValue),
    };
  }
  return {
    convert: (label) => (label === 'metadata.name' || label === 'metadata.namespace' ? label : { error: defaultError(label) }),
    valueOf: pathValue,
    fieldSet: fieldSetOf(['metadata.name', 'metadata.namespace'], pathValue),
  };
}

function fieldSetOf(fields: readonly string[], valueOf: (object: Obj, field: string) => string): (object: Obj) => Record<string, string> {
  return (object) => {
    const set: Record<string, string> = {};
    for (const field of fields) set[field] = valueOf(object, field);
    return set;
  };
}
