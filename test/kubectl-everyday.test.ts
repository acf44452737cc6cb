// kubectl 1.35 against a real `skiff server`: the everyday commands, each asserting what kubectl
// printed, as a user would see it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clientPath, kubectl120, kubectl132, kubectl135, rawClient, runKubectl, startServer, type ClientTool, type TestServer } from './support/index.js';
import { repoRoot } from './support/repo-root.js';

const manifests = path.join(repoRoot(), 'test', 'fixtures', 'manifests');

for (const [minor, find] of [
  [35, kubectl135],
  [32, kubectl132],
  [20, kubectl120],
] as const) {
  describe(`kubectl 1.${minor} everyday work`, async () => {
    const client: ClientTool = await find();
    /** What kubectl prints after deleting a namespaced object changed in 1.33. */
    const deleted = (what: string) => (minor >= 33 ? `${what} deleted from default namespace\n` : `${what} deleted\n`);
    let server: TestServer;
    let bin: string;
    const k = async (args: string[], stdin?: string) => runKubectl(bin, server.kubeconfig, args, stdin === undefined ? {} : { stdin });
    const ok = async (args: string[], stdin?: string) => {
      const r = await k(args, stdin);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };

    before(async () => {
      if (client.skip) return;
      bin = clientPath(client);
      // Workloads are read back exactly as written: no controller acts on them here.
      server = await startServer({ extraArgs: ['--controllers=*,-deployment-controller,-replicaset-controller,-replicationcontroller-controller'] });
    });
    after(async () => server?.stop());

    test('version, api-versions and api-resources', { skip: client.skip }, async () => {
      assert.match(
        await ok(['version']),
        minor >= 28 ? /Server Version: v1\.35\.0\+skiff/ : /Server Version: version\.Info\{Major:"1", Minor:"35", GitVersion:"v1\.35\.0\+skiff"/,
      );
      const versions = await ok(['api-versions']);
      for (const gv of ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'autoscaling/v2', 'autoscaling/v1', 'policy/v1']) {
        assert.ok(versions.split('\n').includes(gv), `api-versions lacks ${gv}`);
      }
      const resources = await ok(['api-resources']);
      assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
      assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    });

    test('get namespaces shows the system namespaces', { skip: client.skip }, async () => {
      const out = await ok(['get', 'namespaces']);
      assert.match(out, /^NAME\s+STATUS\s+AGE$/m);
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active\\s+\\d+s$`, 'm'));
    });

    test('the kubernetes service sits at the first service address', { skip: client.skip }, async () => {
      const out = await ok(['get', 'svc', 'kubernetes', '-o', 'wide']);
      assert.match(out, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+s\s+<none>$/m);
    });

    test('create namespace, configmap, secret (protobuf bodies) and read them back', { skip: client.skip }, async () => {
      assert.equal(await ok(['create', 'namespace', 'team-a']), 'namespace/team-a created\n');
      assert.equal(
        await ok(['-n', 'team-a', 'create', 'configmap', 'app-config', '--from-literal=mode=fast', '--from-literal=level=3']),
        'configmap/app-config created\n',
      );
      assert.equal(await ok(['-n', 'team-a', 'create', 'secret', 'generic', 'app-secret', '--from-literal=password=hunter2']), 'secret/app-secret created\n');
      assert.equal(await ok(['-n', 'team-a', 'get', 'cm', 'app-config', '-o', 'jsonpath={.data.mode}']), 'fast');
      const secret = await ok(['-n', 'team-a', 'get', 'secret', 'app-secret', '-o', 'jsonpath={.data.password}']);
      assert.equal(Buffer.from(secret, 'base64').toString(), 'hunter2');
      assert.match(await ok(['-n', 'team-a', 'get', 'secrets']), /^app-secret\s+Opaque\s+1\s+\d+s$/m);
      const dup = await k(['-n', 'team-a', 'create', 'configmap', 'app-config']);
      assert.equal(dup.code, 1);
      assert.equal(
        dup.stderr.trim(),
        minor >= 21
          ? 'error: failed to create configmap: configmaps "app-config" already exists'
          : 'Error from server (AlreadyExists): configmaps "app-config" already exists',
      );
    });

    test('create deployment, service and job with kubectl create', { skip: client.skip }, async () => {
      assert.equal(await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80']), 'deployment.apps/web created\n');
      assert.equal(await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']), 'service/web created\n');
      assert.equal(await ok(['create', 'job', 'once', '--image=busybox']), 'job.batch/once created\n');
      assert.equal(await ok(['create', 'role', 'reader', '--verb=get,list', '--resource=pods']), 'role.rbac.authorization.k8s.io/reader created\n');
      const deploy: unknown = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json', ...(minor >= 21 ? ['--show-managed-fields'] : [])]));
      assert.equal(dig(deploy, 'metadata.generation'), 1);
      assert.equal(dig(deploy, 'spec.strategy.type'), 'RollingUpdate');
      assert.equal(dig(deploy, 'spec.strategy.rollingUpdate.maxSurge'), '25%');
      assert.equal(dig(deploy, 'spec.revisionHistoryLimit'), 10);
      assert.equal(dig(deploy, 'spec.progressDeadlineSeconds'), 600);
      assert.equal(dig(deploy, 'spec.template.spec.containers.0.imagePullPolicy'), 'IfNotPresent');
      assert.equal(dig(deploy, 'spec.template.spec.containers.0.ports.0.protocol'), 'TCP');
      assert.equal(dig(deploy, 'metadata.managedFields.0.manager'), 'kubectl-create');
      assert.equal(dig(deploy, 'metadata.managedFields.0.operation'), 'Update');
      const svc: unknown = JSON.parse(await ok(['get', 'svc', 'web', '-o', 'json']));
      assert.match(String(dig(svc, 'spec.clusterIP')), /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
      assert.deepEqual(dig(svc, 'spec.ports'), [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
      const job: unknown = JSON.parse(await ok(['get', 'job', 'once', '-o', 'json']));
      assert.equal(dig(job, 'spec.backoffLimit'), 6);
      assert.equal(dig(job, 'spec.template.metadata.labels.job-name'), 'once');
    });

    test('get output formats', { skip: client.skip }, async () => {
      assert.match(await ok(['get', 'deploy']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+0\s+0\s+\d+s\n$/);
      assert.match(
        await ok(['get', 'deploy', '-o', 'wide']),
        /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+0\/2\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.27\s+app=web\n$/,
      );
      assert.equal(await ok(['get', 'deploy', '-o', 'name']), 'deployment.apps/web\n');
      assert.match(await ok(['get', 'deploy', 'web', '-o', 'yaml']), /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/);
      assert.equal(await ok(['get', 'deploy', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']), 'NAME   REPLICAS\nweb    2\n');
      assert.equal(await ok(['get', 'ns', '-o', 'jsonpath={.items[*].metadata.name}']), 'default kube-node-lease kube-public kube-system team-a');
      const all = await ok(['get', 'cm', '-A']);
      assert.match(all, /^NAMESPACE\s+NAME\s+DATA\s+AGE$/m);
      assert.match(all, /^team-a\s+app-config\s+2\s+\d+s$/m);
      assert.equal(
        await ok(['get', 'ns', '--sort-by=.metadata.name', '-o', 'name']),
        'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\nnamespace/team-a\n',
      );
    });

    test('label selectors and field selectors', { skip: client.skip }, async () => {
      await ok(['create', 'configmap', 'c1']);
      await ok(['create', 'configmap', 'c2']);
      await ok(['create', 'configmap', 'c3']);
      assert.equal(await ok(['label', 'cm', 'c1', 'tier=front', 'env=prod']), 'configmap/c1 labeled\n');
      assert.equal(await ok(['label', 'cm', 'c2', 'tier=back', 'env=prod']), 'configmap/c2 labeled\n');
      assert.equal(await ok(['label', 'cm', 'c3', 'tier=back']), 'configmap/c3 labeled\n');
      const names = async (sel: string[]) => (await ok(['get', 'cm', ...sel, '-o', 'name'])).trim().split('\n').filter(Boolean);
      assert.deepEqual(await names(['-l', 'tier=back']), ['configmap/c2', 'configmap/c3']);
      assert.deepEqual(await names(['-l', 'tier!=back,env']), ['configmap/c1']);
      assert.deepEqual(await names(['-l', 'tier in (front,middle)']), ['configmap/c1']);
      assert.deepEqual(await names(['-l', 'tier notin (front),!env']), ['configmap/c3']);
      assert.deepEqual(await names(['--field-selector', 'metadata.name=c2']), ['configmap/c2']);
      const bad = await k(['get', 'cm', '--field-selector', 'spec.nothing=1']);
      assert.equal(bad.code, 1);
      assert.match(
        bad.stderr,
        /Error from server \(BadRequest\): .*"spec\.nothing" is not a known field selector: only "metadata\.name", "metadata\.namespace"/,
      );
      const pods = await k(['get', 'pods', '--field-selector', 'spec.bogus=1']);
      assert.match(pods.stderr, /field label not supported: spec\.bogus/);
      assert.equal(await ok(['get', 'pods', '--field-selector', 'spec.nodeName=nowhere', '-o', 'name']), '');
    });

    test('annotate, patch (three types) and scale', { skip: client.skip }, async () => {
      assert.equal(await ok(['annotate', 'cm', 'c1', 'owner=team-a']), 'configmap/c1 annotated\n');
      assert.equal(await ok(['patch', 'cm', 'c1', '--type=merge', '-p', '{"data":{"a":"1"}}']), 'configmap/c1 patched\n');
      assert.equal(await ok(['patch', 'cm', 'c1', '--type=json', '-p', '[{"op":"add","path":"/data/b","value":"2"}]']), 'configmap/c1 patched\n');
      assert.equal(
        await ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}']),
        'deployment.apps/web patched\n',
      );
      assert.equal(await ok(['patch', 'cm', 'c1', '--type=merge', '-p', '{"data":{"a":"1"}}']), 'configmap/c1 patched (no change)\n');
      assert.equal(await ok(['get', 'cm', 'c1', '-o', 'jsonpath={.data}']), '{"a":"1","b":"2"}');
      assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']), 'sidecar nginx');
      assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}']), '2');
      assert.equal(await ok(['scale', 'deploy', 'web', '--replicas=5']), 'deployment.apps/web scaled\n');
      assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
    });

    test('create -f and apply -f the fixture manifests, apply twice is unchanged', { skip: client.skip }, async () => {
      const rc = path.join(manifests, 'nginx-rc.yaml');
      const svc = path.join(manifests, 'nginx-service-clusterip.yaml');
      assert.equal(await ok(['apply', '-f', rc]), 'replicationcontroller/nginx-controller created\n');
      assert.equal(await ok(['apply', '-f', svc]), 'service/nginx-service-clusterip created\n');
      assert.equal(await ok(['apply', '-f', rc]), 'replicationcontroller/nginx-controller unchanged\n');
      assert.equal(await ok(['apply', '-f', svc]), 'service/nginx-service-clusterip unchanged\n');
      const stored: unknown = JSON.parse(await ok(['get', 'rc', 'nginx-controller', '-o', 'json']));
      assert.deepEqual(dig(stored, 'spec.selector'), { name: 'nginx' });
      assert.equal(dig(stored, 'metadata.generation'), 1);
      assert.deepEqual(dig(stored, 'metadata.labels'), { name: 'nginx' });
      const pod = dig(stored, 'spec.template.spec');
      assert.equal(dig(pod, 'restartPolicy'), 'Always');
      assert.equal(dig(pod, 'dnsPolicy'), 'ClusterFirst');
      assert.equal(dig(pod, 'schedulerName'), 'default-scheduler');
      assert.equal(dig(pod, 'terminationGracePeriodSeconds'), 30);
      assert.deepEqual(dig(pod, 'securityContext'), {});
      assert.deepEqual(dig(pod, 'containers.0'), {
        name: 'nginx',
        image: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        imagePullPolicy: 'Always',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      });
      assert.ok((dig(stored, 'metadata.annotations') as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration']);
      const service: unknown = JSON.parse(await ok(['get', 'svc', 'nginx-service-clusterip', '-o', 'json']));
      assert.equal(dig(service, 'spec.type'), 'ClusterIP');
      assert.equal(dig(service, 'spec.sessionAffinity'), 'None');
      assert.deepEqual(dig(service, 'spec.ipFamilies'), ['IPv4']);
      assert.equal(dig(service, 'spec.ipFamilyPolicy'), 'SingleStack');
      assert.equal(dig(service, 'spec.internalTrafficPolicy'), 'Cluster');
      assert.deepEqual(dig(service, 'spec.ports'), [{ port: 8001, protocol: 'TCP', targetPort: 80 }]);
      assert.deepEqual(dig(service, 'spec.clusterIPs'), [dig(service, 'spec.clusterIP')]);
      assert.deepEqual(dig(service, 'status'), { loadBalancer: {} });
      assert.match(await ok(['get', 'rc']), /^nginx-controller\s+2\s+0\s+0\s+\d+s$/m);
      const described = await ok(['describe', 'svc', 'nginx-service-clusterip']);
      assert.match(described, /^Name:\s+nginx-service-clusterip$/m);
      assert.match(described, /^Selector:\s+name=nginx$/m);
      assert.match(described, /^Port:\s+<unset>\s+8001\/TCP$/m);
      assert.match(await ok(['describe', 'rc', 'nginx-controller']), /^Replicas:\s+0 current \/ 2 desired$/m);
    });

    test('apply after editing a manifest: a container added, a port removed; diff shows it first', { skip: client.skip }, async () => {
      const file = path.join(server.dataDir, 'edited.yaml');
      const v1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
        - containerPort: 443
`;
      await writeFile(file, v1);
      assert.equal(await ok(['apply', '-f', file]), 'deployment.apps/shop created\n');
      const v2 = v1.replace('        - containerPort: 443\n', '') + '      - name: cache\n        image: redis\n';
      await writeFile(file, v2);
      const diff = await k(['diff', '-f', file]);
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /^\+\s+- image: redis$/m);
      assert.match(diff.stdout, /^-\s+- containerPort: 443$/m);
      assert.equal(await ok(['apply', '-f', file]), 'deployment.apps/shop configured\n');
      const spec = JSON.parse(await ok(['get', 'deploy', 'shop', '-o', 'jsonpath={.spec.template.spec.containers}'])) as {
        name: string;
        ports?: { containerPort: number }[];
      }[];
      assert.deepEqual(
        spec.map((c) => c.name),
        ['web', 'cache'],
      );
      assert.deepEqual(
        spec[0]!.ports!.map((p) => p.containerPort),
        [80],
      );
      assert.equal((await k(['diff', '-f', file])).code, 0);
    });

    test('explain reads the OpenAPI schema', { skip: client.skip }, async () => {
      const out = await ok(['explain', 'deployment.spec.strategy']);
      assert.match(out, /^KIND:\s+Deployment$/m);
      if (minor >= 27) {
        assert.match(out, /^GROUP:\s+apps$/m);
        assert.match(out, /rollingUpdate\s+<RollingUpdateDeployment>/);
      } else {
        assert.match(out, /^VERSION:\s+apps\/v1$/m);
        assert.match(out, /rollingUpdate\s+<Object>/);
      }
    });

    test('errors read as kube-apiserver words them', { skip: client.skip }, async () => {
      const missing = await k(['get', 'pod', 'nope']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');
      const invalid = await k(['create', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n');
      assert.equal(invalid.code, 1);
      assert.match(invalid.stderr, /The Pod "x" is invalid: spec\.containers\[0\]\.image: Required value/);
      const noNs = await k(['-n', 'nowhere', 'create', 'configmap', 'x']);
      assert.equal(noNs.code, 1);
      assert.match(noNs.stderr, /namespaces "nowhere" not found/);
      const unknown = await k(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict-check\nbogus: 1\n');
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown field "bogus"/);
    });

    test('get -w prints changes as they happen', { skip: client.skip }, async () => {
      const { spawn } = await import('node:child_process');
      const watcher = spawn(bin, ['--kubeconfig', server.kubeconfig, 'get', 'cm', '-w', '--request-timeout=20s'], {
        env: { HOME: server.dataDir, PATH: process.env.PATH ?? '' },
      });
      let out = '';
      watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await waitFor(() => out.includes('c3'), 10_000);
        await ok(['create', 'configmap', 'watched']);
        await waitFor(() => /^watched\s+0\s+\d+s$/m.test(out), 10_000);
      } finally {
        watcher.kill();
      }
    });

    test('wait --for=condition and delete --wait', { skip: client.skip }, async () => {
      await ok(['create', 'configmap', 'doomed']);
      assert.equal(await ok(['delete', 'configmap', 'doomed', '--wait']), deleted('configmap "doomed"'));
      const gone = await k(['get', 'cm', 'doomed']);
      assert.equal(gone.code, 1);
      await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: waiter\nspec:\n  containers:\n  - name: c\n    image: busybox\n');
      const waiting = runKubectl(bin, server.kubeconfig, ['wait', '--for=condition=Ready', 'pod/waiter', '--timeout=20s']);
      await new Promise((r) => setTimeout(r, 500));
      const status = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
      const patched = await (
        await rawClient(server.kubeconfig)
      ).call('PATCH', '/api/v1/namespaces/default/pods/waiter/status', {
        body: JSON.stringify(status),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(patched.status, 200, patched.text());
      const waited = await waiting;
      assert.equal(waited.code, 0, waited.stderr);
      assert.equal(waited.stdout, 'pod/waiter condition met\n');
      assert.equal(await ok(['delete', 'pod', 'waiter']), deleted('pod "waiter"'));
      assert.equal(await ok(['delete', 'deploy', 'web', 'shop']), deleted('deployment.apps "web"') + deleted('deployment.apps "shop"'));
    });

    test('services get collision-free ClusterIPs and NodePorts', { skip: client.skip }, async () => {
      assert.equal(await ok(['create', 'service', 'nodeport', 'np1', '--tcp=80:80', '--node-port=30080']), 'service/np1 created\n');
      const taken = await k(['create', 'service', 'nodeport', 'np2', '--tcp=80:80', '--node-port=30080']);
      assert.equal(
        taken.stderr.trim(),
        'error: failed to create NodePort service: Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
      );
      const outside = await k(['create', 'service', 'clusterip', 'far', '--tcp=80:80', '--clusterip=192.168.0.5']);
      assert.match(outside.stderr, /: the provided IP \(192\.168\.0\.5\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/);
      await ok(['delete', 'svc', 'np1']);
      assert.equal(await ok(['create', 'service', 'nodeport', 'np3', '--tcp=80:80', '--node-port=30080']), 'service/np3 created\n');
      assert.match(await ok(['get', 'svc', 'np3']), /^np3\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080\/TCP\s+\d+s$/m);
    });

    test('deleting a namespace removes everything in it, then the namespace', { skip: client.skip }, async () => {
      assert.match(await ok(['-n', 'team-a', 'get', 'cm', '-o', 'name']), /configmap\/app-config/);
      assert.equal(await ok(['delete', 'namespace', 'team-a', '--timeout=30s']), 'namespace "team-a" deleted\n');
      const gone = await k(['get', 'ns', 'team-a']);
      assert.equal(gone.stderr.trim(), 'Error from server (NotFound): namespaces "team-a" not found');
      assert.equal(await ok(['get', 'cm', '-n', 'team-a', '-o', 'name']), '');
    });

    test('get --raw reaches the API directly', { skip: client.skip }, async () => {
      assert.equal(await ok(['get', '--raw', '/healthz']), 'ok');
      const list = JSON.parse(await ok(['get', '--raw', '/api/v1/namespaces/default/configmaps?limit=2'])) as {
        metadata: { continue?: string; remainingItemCount?: number };
        items: unknown[];
      };
      assert.equal(list.items.length, 2);
      assert.ok(list.metadata.continue);
      assert.ok((list.metadata.remainingItemCount ?? 0) >= 1);
    });
  });
}

/** Reads a dotted path (`spec.ports.0.port`) out of parsed JSON. */
function dig(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
