// Strategies for service backends: core/v1 Endpoints and discovery.k8s.io/v1 EndpointSlices,
// with their port defaults and address checks.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objItems, arrAt, strAt, numAt, setDefault, setDefaultString } from './object-access.js';
import { defineStrategy, contentDiffers } from './strategy.js';
import { validateImmutable } from './object-meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum, isIPv4, isIPv6, isValidIP } from './name-validation.js';
import { validateEnum } from './field-rules.js';

const protocols = ['SCTP', 'TCP', 'UDP'];

/** A port with a name (required when there are several), number and protocol, as Services and Endpoints have. */
export function validateNamedPort(port: Readonly<Obj>, path: FieldPath, requireName: boolean, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = strAt(port, 'name');
  if (requireName && !name) errs.push(path.child('name').required());
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => path.child('name').invalid(name, m)));
    if (names.has(name)) errs.push(path.child('name').duplicate(name));
    names.add(name);
  }
  const number = numAt(port, 'port') ?? 0;
  errs.push(...isValidPortNum(number).map((m) => path.child('port').invalid(number, m)));
  errs.push(...validateEnum(strAt(port, 'protocol'), path.child('protocol'), protocols));
  return errs;
}

function validateEndpoints(ep: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  for (const [subset, i] of objItems(ep, 'subsets')) {
    const p = FieldPath.root('subsets').index(i);
    if (arrAt(subset, 'addresses').length === 0 && arrAt(subset, 'notReadyAddresses').length === 0)
      errs.push(p.required('must specify `addresses` or `notReadyAddresses`'));
    for (const key of ['addresses', 'notReadyAddresses']) {
      for (const [addr, j] of objItems(subset, key)) {
        const ap = p.child(key).index(j);
        const ip = strAt(addr, 'ip');
        errs.push(...isValidIP(ip).map((m) => ap.child('ip').invalid(ip, m)));
        const hostname = strAt(addr, 'hostname');
        if (hostname) errs.push(...isDNS1123Label(hostname).map((m) => ap.child('hostname').invalid(hostname, m)));
        const nodeName = strAt(addr, 'nodeName');
        if (nodeName) errs.push(...isDNS1123Subdomain(nodeName).map((m) => ap.child('nodeName').invalid(nodeName, m)));
      }
    }
    const ports = objItems(subset, 'ports');
    const names = new Set<string>();
    for (const [port, j] of ports) errs.push(...validateNamedPort(port, p.child('ports').index(j), ports.length > 1, names));
  }
  return errs;
}

export const endpointsStrategy = defineStrategy({
  defaults(ep) {
    for (const [subset] of objItems(ep, 'subsets')) for (const [port] of objItems(subset, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  },
  validate: validateEndpoints,
});

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;

function validateAddress(addr: unknown, addressType: string, path: FieldPath): FieldError[] {
  if (typeof addr !== 'string') return [path.invalid(addr, 'must be a string')];
  if (addressType === 'IPv4' && !isIPv4(addr)) return [path.invalid(addr, 'must be a valid IPv4 address')];
  if (addressType === 'IPv6' && !isIPv6(addr)) return [path.invalid(addr, 'must be a valid IPv6 address')];
  if (addressType === 'FQDN') return isDNS1123Subdomain(addr).map((m) => path.invalid(addr, m));
  return [];
}

function validateEndpointSlice(slice: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = strAt(slice, 'addressType');
  errs.push(...validateEnum(addressType, FieldPath.root('addressType'), addressTypes));
  const endpoints = objItems(slice, 'endpoints');
  if (endpoints.length > MAX_ENDPOINTS) errs.push(FieldPath.root('endpoints').tooMany(endpoints.length, MAX_ENDPOINTS));
  for (const [ep, i] of endpoints) {
    const p = FieldPath.root('endpoints').index(i);
    const addresses = arrAt(ep, 'addresses');
    if (addresses.length === 0) errs.push(p.child('addresses').required('must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(p.child('addresses').tooMany(addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, addressType, p.child('addresses').index(j))));
    const hostname = strAt(ep, 'hostname');
    if (hostname) errs.push(...isDNS1123Label(hostname).map((m) => p.child('hostname').invalid(hostname, m)));
    const nodeName = strAt(ep, 'nodeName');
    if (nodeName) errs.push(...isDNS1123Subdomain(nodeName).map((m) => p.child('nodeName').invalid(nodeName, m)));
  }
  const ports = objItems(slice, 'ports');
  if (ports.length > MAX_PORTS) errs.push(FieldPath.root('ports').tooMany(ports.length, MAX_PORTS));
  const names = new Set<string>();
  for (const [port, i] of ports) {
    const p = FieldPath.root('ports').index(i);
    const name = strAt(port, 'name');
    if (name) errs.push(...isDNS1123Label(name).map((m) => p.child('name').invalid(name, m)));
    if (names.has(name)) errs.push(p.child('name').duplicate(name));
    names.add(name);
    const number = numAt(port, 'port');
    if (number !== undefined) errs.push(...isValidPortNum(number).map((m) => p.child('port').invalid(number, m)));
    errs.push(...validateEnum(strAt(port, 'protocol'), p.child('protocol'), protocols));
  }
  return errs;
}

export const endpointSliceStrategy = defineStrategy({
  specChanged: contentDiffers,
  defaults(slice) {
    for (const [port] of objItems(slice, 'ports')) {
      setDefault(port, 'name', '');
      setDefaultString(port, 'protocol', 'TCP');
    }
  },
  validate: validateEndpointSlice,
  validateUpdate: (slice, old) => [
    ...validateEndpointSlice(slice),
    ...validateImmutable(strAt(slice, 'addressType'), strAt(old, 'addressType'), FieldPath.root('addressType')),
  ],
});
