// CustomResourceDefinitions through kubectl 1.35 and 1.32 against a real `skiff server`: a CRD
// from a manifest is established, its objects are validated, defaulted, printed, explained,
// scaled and patched in two versions, and deleting the CRD takes its objects and discovery away.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl132, kubectl135, rawClient, repoRoot, runKubectl, startServer, type ClientTool, type TestServer } from './support/index.js';

const crdManifest = path.join(repoRoot(), 'test', 'fixtures', 'crds', 'crontabs.yaml');

const cronTab = (name: string, spec: string, apiVersion = 'stable.example.com/v1') =>
  `apiVersion: ${apiVersion}\nkind: CronTab\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

for (const [label, find] of [
  ['1.35', kubectl135],
  ['1.32', kubectl132],
] as const) {
  describe(`custom resources with kubectl ${label}`, async () => {
    const client: ClientTool = await find();
    let server: TestServer;
    let bin: string;
    const run = (args: string[], stdin?: string) => runKubectl(bin, server.kubeconfig, args, stdin === undefined ? {} : { stdin });
    const ok = async (args: string[], stdin?: string) => {
      const r = await run(args, stdin);
      assert.equal(r.code, 0, `kubectl ${label} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    const fails = async (args: string[], stdin?: string) => {
      const r = await run(args, stdin);
      assert.notEqual(r.code, 0, `kubectl ${label} ${args.join(' ')} should have failed:\n${r.stdout}`);
      return r.stderr;
    };
    before(async () => {
      if (client.skip) return;
      bin = clientPath(client);
      server = await startServer();
    });
    after(async () => server?.stop());

    test('a CRD from a manifest is established and discoverable', { skip: client.skip }, async () => {
      assert.equal(await ok(['apply', '-f', crdManifest]), 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
      assert.equal(
        await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/crontabs.stable.example.com']),
        'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met\n',
      );
      assert.match(await ok(['api-resources', '--api-group=stable.example.com']), /^crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab$/m);
      assert.equal(
        await ok(['get', 'crd', 'crontabs.stable.example.com', '-o', 'jsonpath={.status.acceptedNames.kind} {.status.storedVersions}']),
        'CronTab ["v1"]',
      );
      assert.deepEqual(JSON.parse(await ok(['get', 'crd', 'crontabs.stable.example.com', '-o', 'jsonpath={.metadata.finalizers}'])), [
        'customresourcecleanup.apiextensions.k8s.io',
      ]);
    });

    test('objects are created with defaults and printed with the CRD columns', { skip: client.skip }, async () => {
      assert.equal(await ok(['apply', '-f', '-'], cronTab('tab', '  cronSpec: "* * * * */5"\n')), 'crontab.stable.example.com/tab created\n');
      assert.equal(await ok(['get', 'ct', 'tab', '-o', 'jsonpath={.spec.image} {.spec.replicas} {.metadata.generation}']), 'busybox 1 1');
      assert.match(await ok(['get', 'crontabs']), /^NAME\s+SPEC\s+REPLICAS\s+AGE\ntab\s+\* \* \* \* \*\/5\s+1\s+\d+s\n$/);
      assert.match(await ok(['get', 'ct', '-o', 'wide']), /^NAME\s+SPEC\s+REPLICAS\s+IMAGE\s+AGE\ntab\s+\* \* \* \* \*\/5\s+1\s+busybox\s+\d+s\n$/);
      assert.match(await ok(['get', 'all']), /^crontab\.stable\.example\.com\/tab\s+\* \* \* \* \*\/5\s+1\s+\d+s$/m);
      assert.match(await ok(['get', 'ct', '--field-selector', 'spec.image=busybox']), /^tab\s/m);
      assert.match(await run(['get', 'ct', '--field-selector', 'spec.image=nginx']).then((r) => r.stderr), /No resources found in default namespace/);
    });

    test('invalid objects are refused with kube messages', { skip: client.skip }, async () => {
      const unknown = await fails(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "* * * * *"\n  bogus: 1\n'));
      assert.match(unknown, /Error from server \(BadRequest\): error when creating "STDIN": strict decoding error: unknown field "spec\.bogus"/);
      const invalid = await fails(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "x"\n  replicas: "three"\n  color: pink\n'));
      assert.match(invalid, /The CronTab "bad" is invalid: /);
      assert.match(invalid, /^\* spec\.color: Unsupported value: "pink": supported values: "red", "blue"$/m);
      assert.match(invalid, /^\* spec\.cronSpec: Invalid value: "x": spec\.cronSpec in body should match '/m);
      assert.match(invalid, /^\* spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"$/m);
      const range = await fails(['apply', '-f', '-'], cronTab('bad', '  cronSpec: "* * * * *"\n  replicas: 30\n'));
      assert.match(range, /spec\.replicas: Invalid value: 30: spec\.replicas in body should be less than or equal to 10/);
      const missing = await fails(['apply', '-f', '-'], cronTab('bad', '  image: nginx\n'));
      assert.match(missing, /spec\.cronSpec: Required value/);
    });

    test('patch, scale and status', { skip: client.skip }, async () => {
      assert.equal(await ok(['patch', 'ct', 'tab', '--type=merge', '-p', '{"spec":{"color":"red"}}']), 'crontab.stable.example.com/tab patched\n');
      assert.equal(await ok(['get', 'ct', 'tab', '-o', 'jsonpath={.spec.color} {.metadata.generation}']), 'red 2');
      assert.match(await fails(['patch', 'ct', 'tab', '-p', '{"spec":{"color":"blue"}}']), /strategic-merge-patch\+json is not supported/);
      assert.equal(await ok(['scale', 'ct', 'tab', '--replicas=3']), 'crontab.stable.example.com/tab scaled\n');
      assert.equal(await ok(['get', 'ct', 'tab', '-o', 'jsonpath={.spec.replicas}']), '3');
      const status = ['patch', 'ct', 'tab', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3},"spec":{"replicas":9}}'];
      assert.equal(await ok(status), 'crontab.stable.example.com/tab patched\n');
      assert.equal(await ok(['get', 'ct', 'tab', '-o', 'jsonpath={.spec.replicas} {.status.replicas}']), '3 3');
      // The main resource cannot write status when the status subresource is on.
      await ok(['patch', 'ct', 'tab', '--type=merge', '-p', '{"status":{"replicas":7}}']);
      assert.equal(await ok(['get', 'ct', 'tab', '-o', 'jsonpath={.status.replicas}']), '3');
    });

    test('explain reads the CRD schema', { skip: client.skip }, async () => {
      const out = await ok(['explain', 'crontabs.spec']);
      assert.match(out, /KIND:\s+CronTab/);
      assert.match(out, /What to run and when\./);
      assert.match(out, /cronSpec\s+<string> -required-/);
      assert.match(out, /replicas\s+<integer>/);
    });

    test('two versions: the deprecated one warns and shares the objects', { skip: client.skip }, async () => {
      const r = await run(['apply', '-f', '-'], cronTab('old', '  cronSpec: "* * * * *"\n  anything: goes\n', 'stable.example.com/v1beta1'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Warning: stable\.example\.com\/v1beta1 CronTab is deprecated; use stable\.example\.com\/v1/);
      assert.equal(await ok(['get', 'crontabs.v1.stable.example.com', 'old', '-o', 'jsonpath={.apiVersion} {.spec.anything}']), 'stable.example.com/v1 goes');
      assert.equal(await ok(['get', 'crontabs.v1beta1.stable.example.com', 'tab', '-o', 'jsonpath={.apiVersion}']), 'stable.example.com/v1beta1');
      // Stored through v1beta1, which has no defaults; read through v1, the defaults apply.
      assert.equal(await ok(['get', 'crontabs.v1.stable.example.com', 'old', '-o', 'jsonpath={.spec.image} {.spec.replicas}']), 'busybox 1');
      assert.equal(await ok(['get', 'crontabs.v1beta1.stable.example.com', 'old', '-o', 'jsonpath={.spec.image}']), '');
    });

    test('a cluster-scoped CRD with CEL rules is accepted with a warning', { skip: client.skip }, async () => {
      const manifest = [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata:',
        '  name: zones.infra.example.com',
        'spec:',
        '  group: infra.example.com',
        '  scope: Cluster',
        '  names: {plural: zones, kind: Zone}',
        '  versions:',
        '  - name: v1',
        '    served: true',
        '    storage: true',
        '    schema:',
        '      openAPIV3Schema:',
        '        type: object',
        '        properties:',
        '          spec:',
        '            type: object',
        '            x-kubernetes-validations: [{rule: "self.size > 0"}]',
        '            properties: {size: {type: integer}}',
        '',
      ].join('\n');
      const r = await run(['apply', '-f', '-'], manifest);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /Warning: spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations: CEL validation rules are accepted but not enforced/,
      );
      await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/zones.infra.example.com']);
      assert.equal(
        await ok(['apply', '-f', '-'], 'apiVersion: infra.example.com/v1\nkind: Zone\nmetadata:\n  name: east\nspec:\n  size: 3\n'),
        'zone.infra.example.com/east created\n',
      );
      assert.match(await ok(['get', 'zones']), /^NAME\s+AGE\neast\s+\d+s\n$/);
      const invalid = await fails(
        ['create', '-f', '-'],
        'apiVersion: infra.example.com/v1\nkind: Zone\nmetadata:\n  name: west\n  namespace: default\nspec:\n  size: big\n',
      );
      assert.match(invalid, /spec\.size: Invalid value: "string": spec\.size in body must be of type integer: "string"/);
      await ok(['delete', 'crd', 'zones.infra.example.com']);
    });

    test('deleting the CRD deletes its objects and its discovery entries', { skip: client.skip }, async () => {
      assert.match(
        await ok(['delete', 'crd', 'crontabs.stable.example.com']),
        /customresourcedefinition\.apiextensions\.k8s\.io "crontabs\.stable\.example\.com" deleted/,
      );
      const raw = await rawClient(server.kubeconfig);
      let gone = false;
      for (let i = 0; i < 50 && !gone; i++) {
        const list = await raw.call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
        gone = !list.text().includes('crontabs.stable.example.com');
        if (!gone) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(gone, 'the CRD is still there');
      assert.equal((await raw.call('GET', '/apis/stable.example.com/v1')).status, 404);
      assert.equal((await raw.call('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).status, 404);
      assert.doesNotMatch((await raw.call('GET', '/apis')).text(), /stable\.example\.com/);
      assert.doesNotMatch(await ok(['api-resources']), /crontabs/);
      // Created again, the CRD serves no leftovers of the old objects.
      await ok(['apply', '-f', crdManifest]);
      await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/crontabs.stable.example.com']);
      assert.match((await run(['get', 'crontabs'])).stderr, /No resources found in default namespace/);
    });
  });
}
