// Tables for the API server's own machinery: admission webhooks and policies, API services,
// flow control, runtime classes, CSI drivers and nodes, volume attachments, service CIDRs.
import { ageColumn, column, nameColumn, type TablePrinter } from './columns.js';
import { at, int, list, objectAge as age, objectName as name, optBool, optStr, records, str, type Obj } from './object-fields.js';
import { isRecord } from '../../lang/index.js';

function webhookPrinter(): TablePrinter {
  return {
    columns: [nameColumn, column('Webhooks', 'integer', 'Number of webhooks in the configuration.'), ageColumn],
    row: (o, now) => [name(o), records(o, 'webhooks').length, age(o, now)],
  };
}

export const mutatingWebhookPrinter: TablePrinter = webhookPrinter();
export const validatingWebhookPrinter: TablePrinter = webhookPrinter();

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Validations', 'integer', 'Number of validation rules.'),
    column('ParamKind', 'string', 'The kind of object that parameterises the policy.'),
    ageColumn,
  ],
  row: (o, now) => {
    const paramKind = isRecord(at(o, 'spec.paramKind')) ? `${str(o, 'spec.paramKind.apiVersion')}/${str(o, 'spec.paramKind.kind')}` : '<unset>';
    return [name(o), records(o, 'spec.validations').length, paramKind, age(o, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('PolicyName', 'string', 'The policy this binding applies.'),
    column('ParamRef', 'string', 'The parameter object the binding supplies.'),
    ageColumn,
  ],
  row: (o, now) => {
    let param = '<unset>';
    const ref = at(o, 'spec.paramRef');
    if (isRecord(ref)) {
      const refName = str(ref, 'name');
      if (refName) param = str(ref, 'namespace') ? `${str(ref, 'namespace')}/${refName}` : `*/${refName}`;
      else if (isRecord(ref['selector'])) param = labelSelectorForParam(ref['selector']);
    }
    return [name(o), str(o, 'spec.policyName'), param, age(o, now)];
  },
};

/** The Go-struct text a metav1.LabelSelector's String() method prints. */
function labelSelectorForParam(selector: Obj): string {
  const labels = isRecord(selector['matchLabels']) ? selector['matchLabels'] : {};
  const labelText = Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${typeof labels[k] === 'string' ? labels[k] : ''},`)
    .join('');
  const expressionText = records(selector, 'matchExpressions')
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${str(e, 'key')},Operator:${str(e, 'operator')},Values:[${list(e, 'values')
          .filter((v): v is string => typeof v === 'string')
          .join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labelText}},MatchExpressions:[]LabelSelectorRequirement{${expressionText}},}`;
}

export const apiServicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Service', 'string', 'The service that serves this API, or Local.'),
    column('Available', 'string', 'Whether the API is reachable.'),
    ageColumn,
  ],
  row: (o, now) => {
    const service = isRecord(at(o, 'spec.service')) ? `${str(o, 'spec.service.namespace')}/${str(o, 'spec.service.name')}` : 'Local';
    const available = records(o, 'status.conditions').find((c) => str(c, 'type') === 'Available');
    let status = 'Unknown';
    if (available) {
      const value = str(available, 'status');
      const reason = str(available, 'reason');
      status = value !== 'True' && reason ? `${value} (${reason})` : value;
    }
    return [name(o), service, status, age(o, now)];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  columns: [nameColumn, column('Handler', 'string', 'The CRI handler that runs pods of this class.'), ageColumn],
  row: (o, now) => [name(o), str(o, 'handler'), age(o, now)],
};

export const csiNodePrinter: TablePrinter = {
  columns: [nameColumn, column('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageColumn],
  row: (o, now) => [name(o), records(o, 'spec.drivers').length, age(o, now)],
};

export const csiDriverPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('AttachRequired', 'boolean', 'Whether volumes need an attach step.'),
    column('PodInfoOnMount', 'boolean', 'Whether pod details are passed on mount.'),
    column('StorageCapacity', 'boolean', 'Whether the driver reports capacity.'),
    column('TokenRequests', 'string', 'Audiences of service account tokens passed to the driver.'),
    column('RequiresRepublish', 'boolean', 'Whether volumes are periodically remounted.'),
    column('Modes', 'string', 'Volume lifecycle modes the driver supports.'),
    ageColumn,
  ],
  row: (o, now) => {
    const tokens = Array.isArray(at(o, 'spec.tokenRequests'))
      ? records(o, 'spec.tokenRequests')
          .map((t) => str(t, 'audience'))
          .join(',')
      : '<unset>';
    const modes = list(o, 'spec.volumeLifecycleModes')
      .filter((m): m is string => typeof m === 'string')
      .join(',');
    return [
      name(o),
      optBool(o, 'spec.attachRequired') ?? true,
      optBool(o, 'spec.podInfoOnMount') ?? false,
      optBool(o, 'spec.storageCapacity') ?? false,
      tokens,
      optBool(o, 'spec.requiresRepublish') ?? false,
      modes || '<none>',
      age(o, now),
    ];
  },
};

export const volumeAttachmentPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Attacher', 'string', 'The CSI driver doing the attach.', { format: 'name' }),
    column('PV', 'string', 'The persistent volume being attached.'),
    column('Node', 'string', 'The node it is attached to.'),
    column('Attached', 'boolean', 'Whether the attach has finished.'),
    ageColumn,
  ],
  row: (o, now) => [
    name(o),
    str(o, 'spec.attacher'),
    str(o, 'spec.source.persistentVolumeName'),
    str(o, 'spec.nodeName'),
    optBool(o, 'status.attached') === true,
    age(o, now),
  ],
};

export const flowSchemaPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('PriorityLevel', 'string', 'The priority level requests are sent to.'),
    column('MatchingPrecedence', 'string', 'Lower values are matched first.'),
    column('DistinguisherMethod', 'string', 'How flows are told apart.'),
    ageColumn,
    column('MissingPL', 'string', 'Whether the priority level it names is missing.'),
  ],
  row: (o, now) => {
    const dangling = records(o, 'status.conditions').find((c) => str(c, 'type') === 'Dangling');
    return [
      name(o),
      str(o, 'spec.priorityLevelConfiguration.name'),
      int(o, 'spec.matchingPrecedence'),
      optStr(o, 'spec.distinguisherMethod.type') ?? '<none>',
      age(o, now),
      dangling ? str(dangling, 'status') : '?',
    ];
  },
  // Lists come back in the order requests are matched against them.
  order: (objects) =>
    [...objects].sort((a, b) => int(a, 'spec.matchingPrecedence') - int(b, 'spec.matchingPrecedence') || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0)),
};

export const priorityLevelPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Exempt or Limited.'),
    column('NominalConcurrencyShares', 'string', "Share of the server's concurrency."),
    column('Queues', 'string', 'Number of queues.'),
    column('HandSize', 'string', 'Queues each flow is shuffled onto.'),
    column('QueueLengthLimit', 'string', 'Requests a queue may hold.'),
    ageColumn,
  ],
  row: (o, now) => {
    const limited = isRecord(at(o, 'spec.limited'));
    const queuing = isRecord(at(o, 'spec.limited.limitResponse.queuing'));
    return [
      name(o),
      str(o, 'spec.type'),
      limited ? int(o, 'spec.limited.nominalConcurrencyShares') : '<none>',
      queuing ? int(o, 'spec.limited.limitResponse.queuing.queues') : '<none>',
      queuing ? int(o, 'spec.limited.limitResponse.queuing.handSize') : '<none>',
      queuing ? int(o, 'spec.limited.limitResponse.queuing.queueLengthLimit') : '<none>',
      age(o, now),
    ];
  },
};

export const serviceCIDRPrinter: TablePrinter = {
  columns: [nameColumn, column('CIDRs', 'string', 'The ranges services get cluster IPs from.'), ageColumn],
  row: (o, now) => [
    name(o),
    list(o, 'spec.cidrs')
      .filter((c): c is string => typeof c === 'string')
      .join(','),
    age(o, now),
  ],
};

export const ipAddressPrinter: TablePrinter = {
  columns: [nameColumn, column('ParentRef', 'string', 'The object the address is allocated to.')],
  row: (o) => {
    if (!isRecord(at(o, 'spec.parentRef'))) return [name(o), '<none>'];
    const group = str(o, 'spec.parentRef.group');
    const resource = str(o, 'spec.parentRef.resource');
    const namespace = str(o, 'spec.parentRef.namespace');
    let text = (group ? `${resource}.${group}` : resource).toLowerCase();
    if (namespace) text += `/${namespace}`;
    return [name(o), `${text}/${str(o, 'spec.parentRef.name')}`];
  },
};
