import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { serviceStrategy } from './services.js';
import { endpointsStrategy, endpointSliceStrategy } from './endpoints.js';
import type { Obj } from './object-access.js';

const messages = (errs: readonly FieldError[]) => errs.map(fieldErrorMessage);

function newService(spec: Obj, name = 'web'): Obj {
  const svc: Obj = { metadata: { name, namespace: 'default' }, spec };
  serviceStrategy.default(svc);
  serviceStrategy.prepareForCreate(svc);
  return svc;
}

test('a ClusterIP service gets kube defaults', () => {
  const svc = newService({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  assert.deepEqual(svc['spec'], {
    selector: { app: 'web' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  assert.deepEqual(svc['status'], { loadBalancer: {} });
  assert.deepEqual(serviceStrategy.validate(svc), []);
});

test('NodePort and LoadBalancer services default their traffic policies', () => {
  const lb = newService({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }] });
  const spec = lb['spec'] as Obj;
  assert.equal(spec['externalTrafficPolicy'], 'Cluster');
  assert.equal(spec['allocateLoadBalancerNodePorts'], true);
  assert.deepEqual(spec['ports'], [{ port: 443, targetPort: 'https', protocol: 'TCP' }]);
  const headless = newService({ clusterIP: 'None' });
  assert.equal((headless['spec'] as Obj)['ipFamilyPolicy'], 'RequireDualStack');
  assert.deepEqual((headless['spec'] as Obj)['clusterIPs'], ['None']);
  assert.deepEqual(serviceStrategy.validate(headless), []);
});

test('service names are DNS-1035 labels', () => {
  const svc = newService({ ports: [{ port: 80 }] }, '1web');
  assert.match(messages(serviceStrategy.validate(svc))[0] ?? '', /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of/);
});

test('port mistakes', () => {
  const svc = newService({ ports: [{ port: 80 }, { name: 'b', port: 80, nodePort: 30080 }, { name: 'b', port: 0, protocol: 'ICMP' }] });
  assert.deepEqual(messages(serviceStrategy.validate(svc)), [
    'spec.ports[0].name: Required value',
    'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
    "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    'spec.ports[2].name: Duplicate value: "b"',
    'spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[2].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(messages(serviceStrategy.validate(newService({}))), ['spec.ports: Required value']);
});

test('cluster IPs may not change, and updates that omit them keep them', () => {
  const old = newService({ ports: [{ port: 80 }], clusterIP: '10.43.0.10' });
  assert.deepEqual((old['spec'] as Obj)['clusterIPs'], ['10.43.0.10']);
  const resent = newService({ ports: [{ port: 80 }] });
  serviceStrategy.prepareForUpdate(resent, old);
  assert.equal((resent['spec'] as Obj)['clusterIP'], '10.43.0.10');
  assert.deepEqual(serviceStrategy.validateUpdate(resent, old).length, 0);
  const moved = structuredClone(old);
  (moved['spec'] as Obj)['clusterIP'] = '10.43.0.11';
  (moved['spec'] as Obj)['clusterIPs'] = ['10.43.0.11'];
  assert.deepEqual(messages(serviceStrategy.validateUpdate(moved, old)), [
    'spec.clusterIPs[0]: Invalid value: []string{"10.43.0.11"}: may not change once set',
  ]);
});

test('node ports survive updates that leave them out', () => {
  const old = newService({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
  const resent = newService({ type: 'NodePort', ports: [{ port: 80 }] });
  serviceStrategy.prepareForUpdate(resent, old);
  assert.equal(((resent['spec'] as Obj)['ports'] as Obj[])[0]?.['nodePort'], 30080);
});

test('ExternalName services need a DNS name', () => {
  const svc = newService({ type: 'ExternalName' });
  assert.deepEqual(messages(serviceStrategy.validate(svc)), ['spec.externalName: Required value']);
  assert.equal((svc['spec'] as Obj)['ipFamilyPolicy'], undefined);
});

test('Endpoints and EndpointSlices', () => {
  const ep: Obj = { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] };
  endpointsStrategy.default(ep);
  assert.equal(((ep['subsets'] as Obj[])[0]?.['ports'] as Obj[])[0]?.['protocol'], 'TCP');
  assert.deepEqual(endpointsStrategy.validate(ep), []);
  assert.deepEqual(messages(endpointsStrategy.validate({ metadata: { name: 'web' }, subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] })), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
  ]);
  const slice: Obj = { metadata: { name: 'web-abc' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] };
  endpointSliceStrategy.default(slice);
  endpointSliceStrategy.prepareForCreate(slice);
  assert.deepEqual(slice['ports'], [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.equal((slice['metadata'] as Obj)['generation'], 1);
  assert.deepEqual(endpointSliceStrategy.validate(slice), []);
  const bad = { ...slice, addressType: 'IPv6' };
  assert.deepEqual(messages(endpointSliceStrategy.validateUpdate(bad, slice)), [
    'endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address',
    'addressType: Invalid value: "IPv6": field is immutable',
  ]);
});

test('switching NodePort to ClusterIP drops the allocated node ports', () => {
  const old = newService({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
  // kubectl apply merges the live nodePort back in; kube still accepts the switch.
  const switched = newService({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] });
  serviceStrategy.prepareForUpdate(switched, old);
  assert.deepEqual((switched['spec'] as Obj)['ports'], [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.equal((switched['spec'] as Obj)['externalTrafficPolicy'], undefined);
  assert.deepEqual(serviceStrategy.validateUpdate(switched, old), []);
});
