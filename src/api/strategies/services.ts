// The services strategy: ServiceSpec defaults, IP family defaults on create, keeping allocated
// cluster IPs and node ports across updates that omit them, and kube's service validation.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, objItems, arrAt, strAt, numAt, stringMapAt, setDefault, setDefaultString, clone } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { validateLabels } from './object-meta.js';
import { isDNS1123Subdomain, isValidPortNum, isValidPortName, isValidIP, isIPv6, nameIsDNS1035Label } from './name-validation.js';
import { validateEnum } from './field-rules.js';
import { validateNamedPort } from './endpoints.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

const spec = FieldPath.root('spec');
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_AFFINITY_SECONDS = 86400;

function externallyAccessible(s: Readonly<Obj>): boolean {
  const type = strAt(s, 'type');
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arrAt(s, 'externalIPs').length > 0);
}

function isHeadless(s: Readonly<Obj>): boolean {
  return strAt(s, 'clusterIP') === 'None';
}

function defaultService(svc: Obj): void {
  const s = ensureObj(svc, 'spec');
  setDefaultString(s, 'sessionAffinity', 'None');
  if (s['sessionAffinity'] === 'None') delete s['sessionAffinityConfig'];
  if (s['sessionAffinity'] === 'ClientIP') {
    const timeout = objAt(objAt(objAt(s, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds');
    if (timeout === undefined) s['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: 10800 } };
  }
  setDefaultString(s, 'type', 'ClusterIP');
  for (const [port] of objItems(s, 'ports')) {
    setDefaultString(port, 'protocol', 'TCP');
    const target = port['targetPort'];
    if (target === undefined || target === null || target === 0 || target === '') port['targetPort'] = port['port'];
  }
  if (externallyAccessible(s)) setDefaultString(s, 'externalTrafficPolicy', 'Cluster');
  const type = strAt(s, 'type');
  if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') setDefault(s, 'internalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') {
    setDefault(s, 'allocateLoadBalancerNodePorts', true);
    for (const [ing] of objItems(objAt(objAt(svc, 'status'), 'loadBalancer'), 'ingress')) {
      if (strAt(ing, 'ip')) setDefault(ing, 'ipMode', 'VIP');
    }
  }
}

/**
 * IP families as the service registry fills them for a single-stack cluster: the family of the
 * requested cluster IP, else IPv4; headless services without a selector may be dual-stack.
 */
function defaultIPFamilies(s: Obj): void {
  if (strAt(s, 'type') === 'ExternalName') return;
  const clusterIP = strAt(s, 'clusterIP');
  if (clusterIP && arrAt(s, 'clusterIPs').length === 0) s['clusterIPs'] = [clusterIP];
  const selectorless = Object.keys(stringMapAt(s, 'selector')).length === 0;
  if (isHeadless(s) && selectorless) {
    setDefault(s, 'ipFamilyPolicy', 'RequireDualStack');
  } else {
    setDefault(s, 'ipFamilyPolicy', 'SingleStack');
  }
  if (arrAt(s, 'ipFamilies').length === 0) s['ipFamilies'] = [clusterIP && isIPv6(clusterIP) ? 'IPv6' : 'IPv4'];
}

/** Values the registry allocated stay when an update leaves them out (kube's patchAllocatedValues). */
function keepAllocated(svc: Obj, old: Readonly<Obj>): void {
  const s = ensureObj(svc, 'spec');
  const o = objAt(old, 'spec') ?? {};
  if (needsClusterIP(s) && needsClusterIP(o)) {
    if (!strAt(s, 'clusterIP') && strAt(o, 'clusterIP')) s['clusterIP'] = o['clusterIP'];
    if (arrAt(s, 'clusterIPs').length === 0 && arrAt(o, 'clusterIPs').length > 0) s['clusterIPs'] = clone(o['clusterIPs']);
    if (s['ipFamilyPolicy'] === undefined && o['ipFamilyPolicy'] !== undefined) s['ipFamilyPolicy'] = o['ipFamilyPolicy'];
    if (arrAt(s, 'ipFamilies').length === 0 && arrAt(o, 'ipFamilies').length > 0) s['ipFamilies'] = clone(o['ipFamilies']);
  }
  if (needsNodePort(s) && needsNodePort(o)) {
    const oldPorts = objItems(o, 'ports').map(([p]) => p);
    for (const [port] of objItems(s, 'ports')) {
      if (numAt(port, 'nodePort')) continue;
      const match = oldPorts.find((p) => p['port'] === port['port'] && (p['protocol'] ?? 'TCP') === (port['protocol'] ?? 'TCP'));
      if (match && numAt(match, 'nodePort')) port['nodePort'] = match['nodePort'];
    }
  }
  if (!numAt(s, 'healthCheckNodePort') && numAt(o, 'healthCheckNodePort') && s['externalTrafficPolicy'] === 'Local' && strAt(s, 'type') === 'LoadBalancer')
    s['healthCheckNodePort'] = o['healthCheckNodePort'];
}

const needsClusterIP = (x: Readonly<Obj>) => strAt(x, 'type') !== 'ExternalName';
const needsNodePort = (x: Readonly<Obj>) =>
  strAt(x, 'type') === 'NodePort' || (strAt(x, 'type') === 'LoadBalancer' && x['allocateLoadBalancerNodePorts'] !== false);
const needsHealthCheckNodePort = (x: Readonly<Obj>) => strAt(x, 'type') === 'LoadBalancer' && strAt(x, 'externalTrafficPolicy') === 'Local';

/**
 * After a type change, drops the values the old type needed when the user left them as they
 * were (kube's dropTypeDependentFields), so NodePort → ClusterIP works without editing ports.
 */
function dropTypeDependentFields(svc: Obj, old: Readonly<Obj>): void {
  const s = ensureObj(svc, 'spec');
  const o = objAt(old, 'spec') ?? {};
  const same = (k: string) => jsonEqual(s[k], o[k]);
  if (needsClusterIP(o) && !needsClusterIP(s)) {
    if (same('clusterIP') && same('clusterIPs')) {
      delete s['clusterIP'];
      delete s['clusterIPs'];
    }
    if (same('ipFamilies')) delete s['ipFamilies'];
    if (same('ipFamilyPolicy')) delete s['ipFamilyPolicy'];
  }
  if (needsNodePort(o) && !needsNodePort(s)) {
    const nodePorts = (x: Readonly<Obj>) => objItems(x, 'ports').map(([p]) => p['nodePort'] ?? 0);
    if (jsonEqual(nodePorts(s), nodePorts(o))) for (const [port] of objItems(s, 'ports')) delete port['nodePort'];
  }
  if (needsHealthCheckNodePort(o) && !needsHealthCheckNodePort(s) && same('healthCheckNodePort')) delete s['healthCheckNodePort'];
  if (strAt(o, 'type') === 'LoadBalancer' && strAt(s, 'type') !== 'LoadBalancer') {
    if (same('allocateLoadBalancerNodePorts')) delete s['allocateLoadBalancerNodePorts'];
    if (same('loadBalancerClass')) delete s['loadBalancerClass'];
    ensureObj(svc, 'status')['loadBalancer'] = {};
  }
  if (!externallyAccessible(s) && same('externalTrafficPolicy')) delete s['externalTrafficPolicy'];
}

function validateTargetPort(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value === 'number') return isValidPortNum(value).map((m) => path.invalid(value, m));
  if (typeof value === 'string') return isValidPortName(value).map((m) => path.invalid(value, m));
  return [];
}

function validateService(svc: Readonly<Obj>): FieldError[] {
  const s = objAt(svc, 'spec') ?? {};
  const errs: FieldError[] = [];
  const type = strAt(s, 'type');
  errs.push(...validateEnum(type, spec.child('type'), serviceTypes));
  const ports = objItems(s, 'ports');
  if (type === 'ExternalName') {
    const externalName = strAt(s, 'externalName');
    if (!externalName) errs.push(spec.child('externalName').required());
    else errs.push(...isDNS1123Subdomain(externalName.replace(/\.$/, '')).map((m) => spec.child('externalName').invalid(externalName, m)));
    if (arrAt(s, 'clusterIPs').length > 0 || strAt(s, 'clusterIP')) errs.push(spec.child('clusterIPs').forbidden('may not be set for ExternalName services'));
  } else if (ports.length === 0 && !isHeadless(s)) {
    errs.push(spec.child('ports').required());
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  for (const [port, i] of ports) {
    const p = spec.child('ports').index(i);
    errs.push(...validateNamedPort(port, p, ports.length > 1, names));
    const number = numAt(port, 'port') ?? 0;
    const protocol = strAt(port, 'protocol');
    errs.push(...validateTargetPort(port['targetPort'], p.child('targetPort')));
    const key = `${protocol}/${number}`;
    if (seen.has(key)) errs.push(p.duplicate({ port: number, protocol }));
    seen.add(key);
    const nodePort = numAt(port, 'nodePort') ?? 0;
    if (nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') errs.push(p.child('nodePort').forbidden(`may not be used when \`type\` is '${type}'`));
      errs.push(...isValidPortNum(nodePort).map((m) => p.child('nodePort').invalid(nodePort, m)));
      const npKey = `${protocol}/${nodePort}`;
      if (nodePorts.has(npKey)) errs.push(p.child('nodePort').duplicate(nodePort));
      nodePorts.add(npKey);
    }
  }
  errs.push(...validateLabels(stringMapAt(s, 'selector'), spec.child('selector')));
  const affinity = strAt(s, 'sessionAffinity');
  errs.push(...validateEnum(affinity, spec.child('sessionAffinity'), ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const timeout = numAt(objAt(objAt(s, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds');
    if (timeout !== undefined && (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS))
      errs.push(
        spec
          .child('sessionAffinityConfig')
          .child('clientIP')
          .child('timeoutSeconds')
          .invalid(timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`),
      );
  } else if (isRecord(s['sessionAffinityConfig'])) {
    errs.push(spec.child('sessionAffinityConfig').invalid(s['sessionAffinityConfig'], `must not be set when session affinity is ${affinity}`));
  }
  const clusterIP = strAt(s, 'clusterIP');
  const clusterIPs = arrAt(s, 'clusterIPs');
  if (clusterIPs.length > 0 && clusterIPs[0] !== clusterIP)
    errs.push(spec.child('clusterIPs').index(0).invalid(clusterIPs, 'first value must match `clusterIP`'));
  clusterIPs.forEach((ip, i) => {
    if (typeof ip !== 'string') return;
    const p = spec.child('clusterIPs').index(i);
    if (ip === 'None') {
      if (i > 0 || clusterIPs.length > 1) errs.push(p.invalid(ip, "'None' must be the first and only value"));
    } else errs.push(...isValidIP(ip).map((m) => p.invalid(ip, m)));
  });
  if (clusterIPs.length === 0 && clusterIP && clusterIP !== 'None')
    errs.push(...isValidIP(clusterIP).map((m) => spec.child('clusterIP').invalid(clusterIP, m)));
  arrAt(s, 'externalIPs').forEach((ip, i) => {
    if (typeof ip === 'string') errs.push(...isValidIP(ip).map((m) => spec.child('externalIPs').index(i).invalid(ip, m)));
  });
  const etp = strAt(s, 'externalTrafficPolicy');
  if (externallyAccessible(s)) errs.push(...validateEnum(etp, spec.child('externalTrafficPolicy'), ['Cluster', 'Local']));
  else if (etp) errs.push(spec.child('externalTrafficPolicy').invalid(etp, 'may only be set for externally-accessible services'));
  const itp = strAt(s, 'internalTrafficPolicy');
  if (type !== 'ExternalName') errs.push(...validateEnum(itp, spec.child('internalTrafficPolicy'), ['Cluster', 'Local']));
  const hcnp = numAt(s, 'healthCheckNodePort') ?? 0;
  if (hcnp !== 0 && !(type === 'LoadBalancer' && etp === 'Local'))
    errs.push(spec.child('healthCheckNodePort').invalid(hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  const policy = strAt(s, 'ipFamilyPolicy');
  if (policy) errs.push(...validateEnum(policy, spec.child('ipFamilyPolicy'), ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  const families = arrAt(s, 'ipFamilies');
  families.forEach((f, i) => {
    const p = spec.child('ipFamilies').index(i);
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(p.notSupported(f, ['IPv4', 'IPv6']));
    else if (families.indexOf(f) !== i) errs.push(p.duplicate(f));
  });
  if (type !== 'LoadBalancer') {
    for (const k of ['loadBalancerClass', 'allocateLoadBalancerNodePorts']) {
      if (s[k] !== undefined && s[k] !== null) errs.push(spec.child(k).forbidden("may only be used when `type` is 'LoadBalancer'"));
    }
  }
  return errs;
}

function validateServiceUpdate(svc: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs = validateService(svc);
  const s = objAt(svc, 'spec') ?? {};
  const o = objAt(old, 'spec') ?? {};
  if (strAt(s, 'type') === 'ExternalName' || strAt(o, 'type') === 'ExternalName') return errs;
  if (isHeadless(s) && isHeadless(o)) return errs;
  const newIPs = arrAt(s, 'clusterIPs');
  const oldIPs = arrAt(o, 'clusterIPs');
  const p = spec.child('clusterIPs');
  if (newIPs.length === oldIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(p.index(i).invalid(newIPs, 'may not change once set'));
    });
  } else if (newIPs.length < oldIPs.length) {
    if (newIPs.length === 0) errs.push(p.index(0).invalid(newIPs, 'primary clusterIP can not be unset'));
    else if (newIPs[0] !== oldIPs[0]) errs.push(p.index(0).invalid(newIPs, 'may not change once set'));
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
    errs.push(p.index(0).invalid(newIPs, 'may not change once set'));
  }
  const lbClass = s['loadBalancerClass'];
  if (strAt(o, 'type') === 'LoadBalancer' && strAt(s, 'type') === 'LoadBalancer' && lbClass !== o['loadBalancerClass'])
    errs.push(spec.child('loadBalancerClass').invalid(lbClass ?? null, 'may not change once set'));
  return errs;
}

export const serviceStrategy = defineStrategy({
  nameFn: nameIsDNS1035Label,
  statusSubresource: true,
  initialStatus: () => ({ loadBalancer: {} }),
  defaults: defaultService,
  prepareForCreate(svc) {
    defaultIPFamilies(ensureObj(svc, 'spec'));
  },
  prepareForUpdate(svc, old) {
    keepAllocated(svc, old);
    dropTypeDependentFields(svc, old);
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
});
