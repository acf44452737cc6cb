// The events strategy, for core/v1 Events and events.k8s.io/v1 Events (stored alike): namespace
// agreement with the involved object, and the reporting fields new-style events must carry.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, strAt } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { isDNS1123Subdomain, isQualifiedName } from './name-validation.js';

const LIMIT_128 = 128;
const NOTE_LIMIT = 1024;

function tooLongText(value: string, limit: number, path: FieldPath): FieldError[] {
  return value.length > limit ? [path.invalid('', `can have at most ${limit} characters`)] : [];
}

function validateEvent(event: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = strAt(objAt(event, 'metadata'), 'namespace');
  const involvedNamespace = strAt(objAt(event, 'involvedObject'), 'namespace');
  const nsPath = FieldPath.root('involvedObject').child('namespace');
  if (!event['eventTime']) {
    // Legacy events: the namespaces must agree, allowing "default" for cluster-scoped objects.
    if (!involvedNamespace) {
      if (namespace && namespace !== 'default') errs.push(nsPath.invalid(involvedNamespace, 'does not match event.namespace'));
    } else if (namespace !== involvedNamespace) {
      errs.push(nsPath.invalid(involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system')
      errs.push(nsPath.invalid(involvedNamespace, 'does not match event.namespace'));
    const controller = strAt(event, 'reportingComponent');
    const cp = FieldPath.root('reportingController');
    if (!controller) errs.push(cp.required());
    for (const m of isQualifiedName(controller)) errs.push(cp.invalid(controller, m));
    for (const [key, name] of [
      ['reportingInstance', 'reportingInstance'],
      ['action', 'action'],
      ['reason', 'reason'],
    ] as const) {
      const v = strAt(event, key);
      if (!v) errs.push(FieldPath.root(name).required());
      errs.push(...tooLongText(v, LIMIT_128, FieldPath.root(name)));
    }
    errs.push(...tooLongText(strAt(event, 'message'), NOTE_LIMIT, FieldPath.root('message')));
    const type = strAt(event, 'type');
    if (type !== 'Normal' && type !== 'Warning') errs.push(FieldPath.root('type').invalid(type, 'has invalid value: ' + type));
  }
  if (namespace) for (const m of isDNS1123Subdomain(namespace)) errs.push(FieldPath.root('namespace').invalid(namespace, m));
  return errs;
}

export const eventStrategy = defineStrategy({
  validate: validateEvent,
});
