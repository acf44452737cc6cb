// Strategies of networking.k8s.io/v1: Ingresses (rules, paths and backends), IngressClasses
// and NetworkPolicies (policyTypes defaults, peers, ports).

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, objItems, arrAt, strAt, numAt, stringMapAt, setDefaultString } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { validateLabelSelector, validateImmutable } from './object-meta.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isWildcardDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  isIPv4,
  isIPv6,
  isCIDR,
  CIDR_ERROR,
} from './name-validation.js';
import { validateEnum } from './field-rules.js';
import { isRecord } from '../../lang/index.js';

const spec = FieldPath.root('spec');
const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateHost(host: string, path: FieldPath): FieldError[] {
  if (isIPv4(host) || isIPv6(host)) return [path.invalid(host, 'must be a DNS name, not an IP address')];
  const problems = host.startsWith('*.') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return problems.map((m) => path.invalid(host, m));
}

function validateBackend(backend: Readonly<Obj>, path: FieldPath): FieldError[] {
  const service = objAt(backend, 'service');
  const resource = objAt(backend, 'resource');
  if (service && resource) return [path.invalid('', 'cannot set both resource and service backends')];
  if (resource) {
    const errs: FieldError[] = [];
    if (!strAt(resource, 'kind')) errs.push(path.child('resource').child('kind').required());
    if (!strAt(resource, 'name')) errs.push(path.child('resource').child('name').required());
    return errs;
  }
  if (!service) return [path.invalid('', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = strAt(service, 'name');
  const sp = path.child('service');
  if (!name) errs.push(sp.child('name').required());
  else errs.push(...isDNS1035Label(name).map((m) => sp.child('name').invalid(name, m)));
  const port = objAt(service, 'port') ?? {};
  const portName = strAt(port, 'name');
  const portNumber = numAt(port, 'number') ?? 0;
  if (portName && portNumber) errs.push(path.invalid('', 'cannot set both port name & port number'));
  else if (portName) errs.push(...isValidPortName(portName).map((m) => sp.child('port').child('name').invalid(portName, m)));
  else if (portNumber) errs.push(...isValidPortNum(portNumber).map((m) => sp.child('port').child('number').invalid(portNumber, m)));
  else errs.push(path.required('port name or number is required'));
  return errs;
}

function validateHttpPath(p: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = strAt(p, 'pathType');
  const value = strAt(p, 'path');
  if (!type) errs.push(path.child('pathType').required('pathType must be specified'));
  else if (!pathTypes.includes(type)) errs.push(path.child('pathType').notSupported(type, pathTypes));
  if (type === 'Exact' || type === 'Prefix') {
    if (!value.startsWith('/')) errs.push(path.child('path').invalid(value, 'must be an absolute path'));
    for (const bad of ['//', '/./', '/../', '%2f', '%2F']) if (value.includes(bad)) errs.push(path.child('path').invalid(value, `must not contain '${bad}'`));
    for (const bad of ['/..', '/.']) if (value.endsWith(bad)) errs.push(path.child('path').invalid(value, `cannot end with '${bad}'`));
  } else if (type === 'ImplementationSpecific' && value && !value.startsWith('/')) {
    errs.push(path.child('path').invalid(value, 'must be an absolute path'));
  }
  errs.push(...validateBackend(objAt(p, 'backend') ?? {}, path.child('backend')));
  return errs;
}

function validateIngress(ing: Readonly<Obj>): FieldError[] {
  const s = objAt(ing, 'spec') ?? {};
  const errs: FieldError[] = [];
  const rules = objItems(s, 'rules');
  const defaultBackend = objAt(s, 'defaultBackend');
  if (rules.length === 0 && !defaultBackend) errs.push(spec.invalid(arrAt(s, 'rules'), 'either `defaultBackend` or `rules` must be specified'));
  if (defaultBackend) errs.push(...validateBackend(defaultBackend, spec.child('defaultBackend')));
  for (const [rule, i] of rules) {
    const rp = spec.child('rules').index(i);
    const host = strAt(rule, 'host');
    if (host) errs.push(...validateHost(host, rp.child('host')));
    const http = objAt(rule, 'http');
    if (!http) continue;
    const hp = rp.child('http').child('paths');
    if (arrAt(http, 'paths').length === 0) errs.push(hp.required());
    for (const [p, j] of objItems(http, 'paths')) errs.push(...validateHttpPath(p, hp.index(j)));
  }
  for (const [tls, i] of objItems(s, 'tls')) {
    arrAt(tls, 'hosts').forEach((h, j) => {
      if (typeof h === 'string') errs.push(...validateHost(h, spec.child('tls').index(i).child('hosts').index(j)));
    });
    const secretName = strAt(tls, 'secretName');
    if (secretName) errs.push(...isDNS1123Subdomain(secretName).map((m) => spec.child('tls').index(i).child('secretName').invalid(secretName, m)));
  }
  const className = strAt(s, 'ingressClassName');
  if (className) errs.push(...isDNS1123Subdomain(className).map((m) => spec.child('ingressClassName').invalid(className, m)));
  return errs;
}

export const ingressStrategy = defineStrategy({
  statusSubresource: true,
  specChanged: specDiffers,
  validate: validateIngress,
  warnings(ing) {
    const annotations = stringMapAt(objAt(ing, 'metadata'), 'annotations');
    return annotations['kubernetes.io/ingress.class'] !== undefined
      ? ['annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead']
      : [];
  },
});

const MAX_CONTROLLER_LENGTH = 250;

function validateIngressClass(ic: Readonly<Obj>): FieldError[] {
  const s = objAt(ic, 'spec') ?? {};
  const errs: FieldError[] = [];
  const controller = strAt(s, 'controller');
  const cp = spec.child('controller');
  if (!controller) errs.push(cp.required());
  else {
    if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(cp.tooLong(controller, MAX_CONTROLLER_LENGTH));
    const slash = controller.indexOf('/');
    if (slash <= 0 || isDNS1123Subdomain(controller.slice(0, slash)).length > 0 || slash === controller.length - 1)
      errs.push(cp.invalid(controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  }
  const params = objAt(s, 'parameters');
  if (params) {
    const pp = spec.child('parameters');
    if (!strAt(params, 'kind')) errs.push(pp.child('kind').required());
    if (!strAt(params, 'name')) errs.push(pp.child('name').required());
    const scope = strAt(params, 'scope');
    if (scope) errs.push(...validateEnum(scope, pp.child('scope'), ['Cluster', 'Namespace']));
    if (scope === 'Namespace' && !strAt(params, 'namespace')) errs.push(pp.child('namespace').required('`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && strAt(params, 'namespace')) errs.push(pp.child('namespace').forbidden('`parameters.scope` is set to "Cluster"'));
  }
  return errs;
}

export const ingressClassStrategy = defineStrategy({
  specChanged: specDiffers,
  defaults(ic) {
    const params = objAt(objAt(ic, 'spec'), 'parameters');
    if (params) setDefaultString(params, 'scope', 'Cluster');
  },
  validate: validateIngressClass,
  validateUpdate: (ic, old) => [
    ...validateIngressClass(ic),
    ...validateImmutable(strAt(objAt(ic, 'spec'), 'controller'), strAt(objAt(old, 'spec'), 'controller'), spec.child('controller')),
  ],
});

// NetworkPolicies

const protocols = ['SCTP', 'TCP', 'UDP'];

function defaultNetworkPolicy(np: Obj): void {
  const s = ensureObj(np, 'spec');
  for (const dir of ['ingress', 'egress']) {
    for (const [rule] of objItems(s, dir)) for (const [port] of objItems(rule, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  }
  if (arrAt(s, 'policyTypes').length === 0) {
    const types = ['Ingress'];
    if (arrAt(s, 'egress').length > 0) types.push('Egress');
    s['policyTypes'] = types;
  }
}

function validatePeer(peer: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const selectors = ['podSelector', 'namespaceSelector'].filter((k) => isRecord(peer[k]));
  const ipBlock = objAt(peer, 'ipBlock');
  if (selectors.length === 0 && !ipBlock) errs.push(path.required('must specify a peer'));
  if (ipBlock && selectors.length > 0) errs.push(path.forbidden('may not specify both ipBlock and another peer'));
  for (const k of selectors) errs.push(...validateLabelSelector(objAt(peer, k), path.child(k)));
  if (ipBlock) {
    const cidr = strAt(ipBlock, 'cidr');
    const bp = path.child('ipBlock');
    if (!cidr) errs.push(bp.child('cidr').required());
    else if (!isCIDR(cidr)) errs.push(bp.child('cidr').invalid(cidr, CIDR_ERROR));
    arrAt(ipBlock, 'except').forEach((e, i) => {
      if (typeof e === 'string' && !isCIDR(e)) errs.push(bp.child('except').index(i).invalid(e, CIDR_ERROR));
    });
  }
  return errs;
}

function validateNetworkPolicyPort(port: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = strAt(port, 'protocol');
  if (protocol) errs.push(...validateEnum(protocol, path.child('protocol'), protocols));
  const value = port['port'];
  if (typeof value === 'number') errs.push(...isValidPortNum(value).map((m) => path.child('port').invalid(value, m)));
  else if (typeof value === 'string') errs.push(...isValidPortName(value).map((m) => path.child('port').invalid(value, m)));
  const endPort = numAt(port, 'endPort');
  if (endPort !== undefined) {
    if (typeof value !== 'number') errs.push(path.child('endPort').required('may not be specified when `port` is not a number'));
    else if (endPort < value) errs.push(path.child('endPort').invalid(endPort, 'must be greater than or equal to `port`'));
  }
  return errs;
}

function validateNetworkPolicy(np: Readonly<Obj>): FieldError[] {
  const s = objAt(np, 'spec') ?? {};
  const errs = validateLabelSelector(objAt(s, 'podSelector'), spec.child('podSelector'));
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    for (const [rule, i] of objItems(s, dir)) {
      const rp = spec.child(dir).index(i);
      for (const [port, j] of objItems(rule, 'ports')) errs.push(...validateNetworkPolicyPort(port, rp.child('ports').index(j)));
      for (const [peer, j] of objItems(rule, peers)) errs.push(...validatePeer(peer, rp.child(peers).index(j)));
    }
  }
  const types = arrAt(s, 'policyTypes');
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(spec.child('policyTypes').index(i).notSupported(t, ['Egress', 'Ingress']));
  });
  if (types.length > 2) errs.push(spec.child('policyTypes').invalid(types, 'may not specify more than two policyTypes'));
  return errs;
}

export const networkPolicyStrategy = defineStrategy({
  specChanged: specDiffers,
  defaults: defaultNetworkPolicy,
  validate: validateNetworkPolicy,
});
