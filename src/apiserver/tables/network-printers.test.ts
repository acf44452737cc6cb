import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlicePrinter, endpointsPrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter, servicePrinter } from './network-printers.js';

const now = new Date('2026-03-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-03-01T11:58:30Z' });

test('services: ports, cluster and external IPs by type', () => {
  const clusterIP = {
    metadata: meta('web'),
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.43.0.10',
      clusterIPs: ['10.43.0.10'],
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
      selector: { app: 'web' },
    },
  };
  assert.deepEqual(servicePrinter.row(clusterIP, now), ['web', 'ClusterIP', '10.43.0.10', '<none>', '80/TCP,53/UDP', '90s', 'app=web']);
  const nodePort = {
    metadata: meta('np'),
    spec: { type: 'NodePort', clusterIPs: ['10.43.0.11'], externalIPs: ['192.0.2.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
  };
  assert.deepEqual(servicePrinter.row(nodePort, now).slice(1, 5), ['NodePort', '10.43.0.11', '192.0.2.1', '80:30080/TCP']);
  const pending = {
    metadata: meta('lb'),
    spec: { type: 'LoadBalancer', clusterIPs: ['10.43.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] },
  };
  assert.equal(servicePrinter.row(pending, now)[3], '<pending>');
  const lb = { ...pending, status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.2' }] } } };
  assert.equal(servicePrinter.row(lb, now)[3], '203.0.113.2,203.0.113.9,lb.example.com');
  const external = { metadata: meta('ext'), spec: { type: 'ExternalName', externalName: 'db.example.com' } };
  assert.deepEqual(servicePrinter.row(external, now).slice(1, 7), ['ExternalName', '<none>', 'db.example.com', '<none>', '90s', '<none>']);
  const headless = { metadata: meta('h'), spec: { type: 'ClusterIP', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] } };
  assert.equal(servicePrinter.row(headless, now)[2], 'None');
});

test('endpoints list up to three addresses', () => {
  const ep = {
    metadata: meta('web'),
    subsets: [{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }], ports: [{ port: 8080 }, { port: 9090 }] }, { addresses: [{ ip: 'fd00::1' }] }],
  };
  assert.deepEqual(endpointsPrinter.row(ep, now), ['web', '10.42.0.5:8080,10.42.0.6:8080,10.42.0.5:9090 + 2 more...', '90s']);
  assert.equal(endpointsPrinter.row({ metadata: meta('none') }, now)[1], '<none>');
  assert.equal(endpointsPrinter.row({ metadata: meta('v6'), subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }, now)[1], '[fd00::1]:80');
});

test('endpoint slices', () => {
  const slice = {
    metadata: meta('web-abc12'),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics' }],
    endpoints: [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.0.6'] }],
  };
  assert.deepEqual(endpointSlicePrinter.row(slice, now), ['web-abc12', 'IPv4', '8080,metrics', '10.42.0.5,10.42.0.6', '90s']);
  assert.deepEqual(endpointSlicePrinter.row({ metadata: meta('empty'), addressType: 'IPv4' }, now).slice(2, 4), ['<unset>', '<unset>']);
});

test('ingresses and ingress classes', () => {
  const ing = {
    metadata: meta('web'),
    spec: { ingressClassName: 'traefik', rules: [{ host: 'a.example.com' }, {}, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  };
  assert.deepEqual(ingressPrinter.row(ing, now), ['web', 'traefik', 'a.example.com,b.example.com', '192.0.2.10', '80, 443', '90s']);
  const many = { metadata: meta('many'), spec: { rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }] } };
  assert.deepEqual(ingressPrinter.row(many, now).slice(1, 5), ['<none>', 'a,b,c + 2 more...', '', '80']);
  assert.equal(ingressPrinter.row({ metadata: meta('star'), spec: {} }, now)[2], '*');
  const cls = {
    metadata: meta('traefik'),
    spec: { controller: 'traefik.io/ingress-controller', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external' } },
  };
  assert.deepEqual(ingressClassPrinter.row(cls, now), ['traefik', 'traefik.io/ingress-controller', 'IngressParameters.k8s.example.com/external', '90s']);
});

test('network policies print their pod selector', () => {
  assert.deepEqual(networkPolicyPrinter.row({ metadata: meta('deny'), spec: { podSelector: {} } }, now), ['deny', '<none>', '90s']);
  assert.equal(networkPolicyPrinter.row({ metadata: meta('web'), spec: { podSelector: { matchLabels: { app: 'web' } } } }, now)[1], 'app=web');
});
