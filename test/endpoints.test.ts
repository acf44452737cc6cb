// Endpoints and EndpointSlices from Services and pod readiness against a real `skiff server`,
// driven by kubectl 1.35. Pods are bound to a Node created here and their status (IP, Ready) is
// written through the status subresource, as a node agent would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectl135, kubectlSession, startServer, type TestServer } from './support/index.js';

describe('endpoints and endpoint slices', async () => {
  const kubectl = await kubectl135();
  let server: TestServer;
  const { run, k, until } = kubectlSession(kubectl, () => server.kubeconfig);
  const pod = (name: string, app: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
  nodeName: node-a
  containers:
  - name: web
    image: nginx
    ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
`;
  const setStatus = (name: string, ip: string, ready: boolean) =>
    k([
      'patch',
      'pod',
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: 'Running',
          podIP: ip,
          podIPs: [{ ip }],
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
        },
      }),
    ]);

  before(async () => {
    if (kubectl.skip) return;
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('a service lists its ready and unready pods in Endpoints and EndpointSlices, and they go with it', { skip: kubectl.skip }, async () => {
    await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: {name: node-a, labels: {topology.kubernetes.io/zone: zone-1}}\n');
    // A service without a selector is someone else's to give endpoints.
    await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata: {name: manual}\nspec: {ports: [{port: 80}]}\n');
    await k(['apply', '-f', '-'], pod('web-1', 'web') + '---\n' + pod('web-2', 'web') + '---\n' + pod('other', 'other'));
    await setStatus('web-1', '10.244.1.5', true);
    await setStatus('web-2', '10.244.1.6', true);
    await setStatus('other', '10.244.1.7', true);
    await k(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Service
metadata: {name: web, labels: {tier: front}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: 9090}]
`,
    );
    const endpoints = await until('the endpoints', ['get', 'endpoints', 'web'], (o) => o.includes('10.244.1.6'));
    assert.match(endpoints, /^NAME\s+ENDPOINTS\s+AGE\nweb\s+10\.244\.1\.5:8080,10\.244\.1\.6:8080,10\.244\.1\.5:9090 \+ 1 more\.\.\.\s+\d+s\n/);
    const json = JSON.parse(await k(['get', 'endpoints', 'web', '-o', 'json'])) as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      subsets: {
        addresses: { ip: string; nodeName: string; targetRef: { kind: string; name: string } }[];
        ports: { name: string; port: number; protocol: string }[];
      }[];
    };
    assert.deepEqual(json.metadata.labels, { tier: 'front' });
    assert.match(json.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.deepEqual(
      json.subsets.map((s) => [
        s.addresses.map((a) => `${a.ip} ${a.nodeName} ${a.targetRef.kind}/${a.targetRef.name}`),
        s.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`),
      ]),
      [
        [
          ['10.244.1.5 node-a Pod/web-1', '10.244.1.6 node-a Pod/web-2'],
          ['http:8080/TCP', 'metrics:9090/TCP'],
        ],
      ],
    );

    const slices = await until('the slice', ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'], (o) => o.includes('10.244.1.6'));
    assert.match(slices, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nweb-[a-z0-9]{5}\s+IPv4\s+8080,9090\s+10\.244\.1\.5,10\.244\.1\.6\s+\d+s\n$/);
    const slice = (
      JSON.parse(await k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'])) as {
        items: {
          metadata: { labels: Record<string, string>; ownerReferences: { kind: string; name: string; controller: boolean }[] };
          endpoints: { addresses: string[]; conditions: Record<string, boolean>; nodeName: string; zone: string }[];
        }[];
      }
    ).items[0]!;
    assert.deepEqual(slice.metadata.labels, {
      tier: 'front',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(
      slice.metadata.ownerReferences.map((r) => `${r.kind}/${r.name} ${r.controller}`),
      ['Service/web true'],
    );
    assert.deepEqual(slice.endpoints.map((e) => `${e.addresses.join()} ${e.nodeName} ${e.zone} ${JSON.stringify(e.conditions)}`).sort(), [
      '10.244.1.5 node-a zone-1 {"ready":true,"serving":true,"terminating":false}',
      '10.244.1.6 node-a zone-1 {"ready":true,"serving":true,"terminating":false}',
    ]);

    // web-2 turns unready: it moves to notReadyAddresses, and its slice endpoint is not ready.
    await setStatus('web-2', '10.244.1.6', false);
    const notReady = ['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}|{.subsets[*].notReadyAddresses[*].ip}'];
    assert.equal(await until('web-2 to be not ready', notReady, (o) => o === '10.244.1.5|10.244.1.6'), '10.244.1.5|10.244.1.6');
    assert.match(await k(['get', 'endpoints', 'web']), /\nweb\s+10\.244\.1\.5:8080,10\.244\.1\.5:9090\s+/);
    const conditions = [
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=web',
      '-o',
      'jsonpath={range .items[*].endpoints[*]}{.addresses[0]}={.conditions.ready}{" "}{end}',
    ];
    await until('the slice to show web-2 unready', conditions, (o) => o.includes('10.244.1.6=false') && o.includes('10.244.1.5=true'));

    assert.equal((await run(['get', 'endpoints', 'manual'])).stderr, 'Error from server (NotFound): endpoints "manual" not found\n');
    assert.equal((await run(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=manual'])).stderr, 'No resources found in default namespace.\n');

    await k(['delete', 'service', 'web']);
    await until('the endpoints to go', ['get', 'endpoints', 'web'], (o) => o.includes('NotFound'));
    await until('the slices to go', ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'], (o) => o.includes('No resources found'));
  });

  test('publishNotReadyAddresses lists unready pods as ready', { skip: kubectl.skip }, async () => {
    await k(['apply', '-f', '-'], pod('db-1', 'db'));
    await setStatus('db-1', '10.244.1.9', false);
    await k(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, publishNotReadyAddresses: true, selector: {app: db}, ports: [{port: 5432, targetPort: 8080}]}\n',
    );
    const out = await until('the endpoints', ['get', 'endpoints', 'db'], (o) => o.includes('10.244.1.9'));
    assert.match(out, /\ndb\s+10\.244\.1\.9:8080\s+/);
    assert.equal(await k(['get', 'endpoints', 'db', '-o', 'jsonpath={.metadata.labels}']), '{"service.kubernetes.io/headless":""}');
    const ready = ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=db', '-o', 'jsonpath={.items[*].endpoints[*].conditions}'];
    assert.equal(await until('the slice', ready, (o) => o.includes('ready')), '{"ready":true,"serving":false,"terminating":false}');
  });
});
