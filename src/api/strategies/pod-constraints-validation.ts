// Checks on the scheduling and security parts of a PodSpec: affinity, topology spread
// constraints, security contexts, DNS config, OS and readiness gates, worded as kube's.

import type { FieldPath, FieldError } from '../field-errors.js';
import { type Obj, objAt, objItems, arrAt, strAt, numAt } from './object-access.js';
import { isQualifiedName, inclusiveRangeError, isValidIP } from './name-validation.js';
import { validateLabelSelector } from './object-meta.js';
import { validateEnum } from './field-rules.js';

const MAX_INT32 = 2147483647;

function validateNodeSelectorRequirement(req: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const op = strAt(req, 'operator');
  const values = arrAt(req, 'values');
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(path.child('values').required("must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(path.child('values').forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(path.child('values').required("must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(path.child('operator').invalid(op, 'not a valid selector operator'));
  }
  const key = strAt(req, 'key');
  for (const m of isQualifiedName(key)) errs.push(path.child('key').invalid(key, m));
  return errs;
}

function validateNodeSelectorTerm(term: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [req, i] of objItems(term, 'matchExpressions')) errs.push(...validateNodeSelectorRequirement(req, path.child('matchExpressions').index(i)));
  for (const [req, i] of objItems(term, 'matchFields')) {
    const p = path.child('matchFields').index(i);
    if (strAt(req, 'key') !== 'metadata.name') errs.push(p.child('key').invalid(strAt(req, 'key'), 'not a valid field selector key'));
    const op = strAt(req, 'operator');
    if (op !== 'In' && op !== 'NotIn') errs.push(p.child('operator').invalid(op, 'not a valid selector operator'));
    if (arrAt(req, 'values').length !== 1)
      errs.push(p.child('values').required("must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  }
  return errs;
}

function validatePodAffinityTerm(term: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs = validateLabelSelector(objAt(term, 'labelSelector'), path.child('labelSelector'));
  errs.push(...validateLabelSelector(objAt(term, 'namespaceSelector'), path.child('namespaceSelector')));
  const key = strAt(term, 'topologyKey');
  if (!key) errs.push(path.child('topologyKey').required('can not be empty'));
  else for (const m of isQualifiedName(key)) errs.push(path.child('topologyKey').invalid(key, m));
  return errs;
}

function validateWeight(weighted: Readonly<Obj>, path: FieldPath): FieldError[] {
  const weight = numAt(weighted, 'weight') ?? 0;
  return weight <= 0 || weight > 100 ? [path.child('weight').invalid(weight, inclusiveRangeError(1, 100))] : [];
}

export function validateAffinity(affinity: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!affinity) return errs;
  const node = objAt(affinity, 'nodeAffinity');
  if (node) {
    const np = path.child('nodeAffinity');
    const required = objAt(node, 'requiredDuringSchedulingIgnoredDuringExecution');
    if (required) {
      const rp = np.child('requiredDuringSchedulingIgnoredDuringExecution');
      if (arrAt(required, 'nodeSelectorTerms').length === 0) errs.push(rp.child('nodeSelectorTerms').required('must have at least one node selector term'));
      for (const [term, i] of objItems(required, 'nodeSelectorTerms')) errs.push(...validateNodeSelectorTerm(term, rp.child('nodeSelectorTerms').index(i)));
    }
    for (const [pref, i] of objItems(node, 'preferredDuringSchedulingIgnoredDuringExecution')) {
      const pp = np.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      errs.push(...validateWeight(pref, pp));
      errs.push(...validateNodeSelectorTerm(objAt(pref, 'preference') ?? {}, pp.child('preference')));
    }
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = objAt(affinity, kind);
    if (!a) continue;
    const ap = path.child(kind);
    for (const [term, i] of objItems(a, 'requiredDuringSchedulingIgnoredDuringExecution'))
      errs.push(...validatePodAffinityTerm(term, ap.child('requiredDuringSchedulingIgnoredDuringExecution').index(i)));
    for (const [pref, i] of objItems(a, 'preferredDuringSchedulingIgnoredDuringExecution')) {
      const pp = ap.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      errs.push(...validateWeight(pref, pp));
      errs.push(...validatePodAffinityTerm(objAt(pref, 'podAffinityTerm') ?? {}, pp.child('podAffinityTerm')));
    }
  }
  return errs;
}

export function validateTopologySpread(spec: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [c, i] of objItems(spec, 'topologySpreadConstraints')) {
    const p = path.index(i);
    const skew = numAt(c, 'maxSkew') ?? 0;
    if (skew <= 0) errs.push(p.child('maxSkew').invalid(skew, 'must be greater than zero'));
    const key = strAt(c, 'topologyKey');
    if (!key) errs.push(p.child('topologyKey').required('can not be empty'));
    else for (const m of isQualifiedName(key)) errs.push(p.child('topologyKey').invalid(key, m));
    const when = strAt(c, 'whenUnsatisfiable');
    errs.push(...validateEnum(when, p.child('whenUnsatisfiable'), ['DoNotSchedule', 'ScheduleAnyway']));
    const minDomains = numAt(c, 'minDomains');
    if (minDomains !== undefined) {
      if (minDomains <= 0) errs.push(p.child('minDomains').invalid(minDomains, 'must be greater than 0'));
      else if (when !== 'DoNotSchedule')
        errs.push(p.child('minDomains').invalid(minDomains, 'can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ' + when));
    }
    const pair = `${key}/${when}`;
    if (seen.has(pair)) errs.push(p.duplicate(`{${key}, ${when}}`));
    seen.add(pair);
    errs.push(...validateLabelSelector(objAt(c, 'labelSelector'), p.child('labelSelector')));
  }
  return errs;
}

function validateIdRange(value: unknown, path: FieldPath): FieldError[] {
  return typeof value === 'number' && (value < 0 || value > MAX_INT32) ? [path.invalid(value, inclusiveRangeError(0, MAX_INT32))] : [];
}

/** Pod- and container-level security contexts: ids in range and known profile types. */
export function validateSecurityContext(sc: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc) return errs;
  for (const k of ['runAsUser', 'runAsGroup', 'fsGroup']) errs.push(...validateIdRange(sc[k], path.child(k)));
  arrAt(sc, 'supplementalGroups').forEach((g, i) => errs.push(...validateIdRange(g, path.child('supplementalGroups').index(i))));
  const seccomp = objAt(sc, 'seccompProfile');
  if (seccomp) {
    const type = strAt(seccomp, 'type');
    errs.push(...validateEnum(type, path.child('seccompProfile').child('type'), ['Localhost', 'RuntimeDefault', 'Unconfined']));
    if (type === 'Localhost' && !strAt(seccomp, 'localhostProfile'))
      errs.push(path.child('seccompProfile').child('localhostProfile').required('must be set when seccomp type is Localhost'));
  }
  if (sc['privileged'] === true && sc['allowPrivilegeEscalation'] === false)
    errs.push(path.invalid(sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  const procMount = strAt(sc, 'procMount');
  if (procMount) errs.push(...validateEnum(procMount, path.child('procMount'), ['Default', 'Unmasked']));
  return errs;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

export function validateDnsConfig(spec: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const config = objAt(spec, 'dnsConfig');
  if (!config) return errs;
  const nameservers = arrAt(config, 'nameservers');
  if (nameservers.length > MAX_NAMESERVERS) errs.push(path.child('nameservers').invalid(nameservers, `must not have more than ${MAX_NAMESERVERS} nameservers`));
  nameservers.forEach((ns, i) => {
    if (typeof ns === 'string') errs.push(...isValidIP(ns).map((m) => path.child('nameservers').index(i).invalid(ns, m)));
  });
  if (strAt(spec, 'dnsPolicy') === 'None' && nameservers.length === 0)
    errs.push(path.child('nameservers').required('must provide at least one DNS nameserver when `dnsPolicy` is None'));
  const searches = arrAt(config, 'searches');
  if (searches.length > MAX_SEARCHES) errs.push(path.child('searches').invalid(searches, `must not have more than ${MAX_SEARCHES} search paths`));
  for (const [opt, i] of objItems(config, 'options'))
    if (!strAt(opt, 'name')) errs.push(path.child('options').index(i).required('Option.Name must not be empty'));
  return errs;
}

export function validateOsAndGates(spec: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const os = objAt(spec, 'os');
  if (os) {
    const name = strAt(os, 'name');
    if (!name) errs.push(path.child('os').child('name').required());
    else if (name !== 'linux' && name !== 'windows') errs.push(path.child('os').child('name').notSupported(name, ['linux', 'windows']));
  }
  for (const [gate, i] of objItems(spec, 'readinessGates')) {
    const type = strAt(gate, 'conditionType');
    for (const m of isQualifiedName(type)) errs.push(path.child('readinessGates').index(i).child('conditionType').invalid(type, m));
  }
  for (const [alias, i] of objItems(spec, 'hostAliases')) {
    const ip = strAt(alias, 'ip');
    errs.push(...isValidIP(ip).map((m) => path.child('hostAliases').index(i).child('ip').invalid(ip, m)));
  }
  return errs;
}
