import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { strategyFor, genericStrategy, prepareNamespaceFinalize, prepareCsrApproval } from './index.js';
import type { Obj } from './object-access.js';

const messages = (errs: readonly FieldError[]) => errs.map(fieldErrorMessage);

function create(group: string, resource: string, obj: Obj): Obj {
  const s = strategyFor(group, resource);
  s.default(obj);
  s.prepareForCreate(obj);
  return obj;
}

test('namespaces: label, finalizer, Active phase, DNS-1123 label names', () => {
  const ns = create('', 'namespaces', { metadata: { name: 'team-a' } });
  assert.deepEqual(ns, {
    metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  const strategy = strategyFor('', 'namespaces');
  assert.deepEqual(messages(strategy.validate(create('', 'namespaces', { metadata: { name: 'a.b' } }))), [
    'metadata.name: Invalid value: "a.b": must not contain dots',
  ]);
  const upd = structuredClone(ns);
  (upd['spec'] as Obj)['finalizers'] = [];
  strategy.prepareForUpdate(upd, ns);
  assert.deepEqual((upd['spec'] as Obj)['finalizers'], ['kubernetes']);
  const fin = structuredClone(ns);
  (fin['spec'] as Obj)['finalizers'] = [];
  prepareNamespaceFinalize(fin, ns);
  assert.deepEqual((fin['spec'] as Obj)['finalizers'], []);
});

test('nodes keep the status they register with', () => {
  const node = create('', 'nodes', { metadata: { name: 'n1' }, status: { capacity: { cpu: '2' } } });
  assert.deepEqual(node['status'], { capacity: { cpu: '2' }, allocatable: { cpu: '2' } });
  const tainted = { metadata: { name: 'n1' }, spec: { taints: [{ key: 'a', effect: 'Sometimes' }] } };
  assert.deepEqual(messages(strategyFor('', 'nodes').validate(tainted)), [
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
  ]);
  const negative = { metadata: { name: 'n1' }, status: { capacity: { cpu: '-1' }, allocatable: { memory: '1Gi' } } };
  assert.deepEqual(messages(strategyFor('', 'nodes').validate(negative)), ['status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0']);
});

test("legacy events must be in their object's namespace", () => {
  const s = strategyFor('events.k8s.io', 'events');
  assert.equal(s, strategyFor('', 'events'));
  const ev = { metadata: { name: 'web.1', namespace: 'a' }, involvedObject: { kind: 'Pod', namespace: 'b', name: 'web' } };
  assert.deepEqual(messages(s.validate(ev)), ['involvedObject.namespace: Invalid value: "b": does not match event.namespace']);
  const nodeEvent = { metadata: { name: 'n.1', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n' } };
  assert.deepEqual(s.validate(nodeEvent), []);
});

test('limit ranges default container limits and requests', () => {
  const lr = create('', 'limitranges', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } });
  assert.deepEqual((lr['spec'] as { limits: Obj[] }).limits[0], {
    type: 'Container',
    max: { cpu: '2' },
    min: { memory: '64Mi' },
    default: { cpu: '2' },
    defaultRequest: { cpu: '2', memory: '64Mi' },
  });
  const bad = { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } };
  assert.deepEqual(messages(strategyFor('', 'limitranges').validate(bad)), [
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
  ]);
});

test('persistent volume claims and volumes', () => {
  const pvc = create('', 'persistentvolumeclaims', {
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  assert.equal((pvc['spec'] as Obj)['volumeMode'], 'Filesystem');
  assert.deepEqual(pvc['status'], { phase: 'Pending' });
  const s = strategyFor('', 'persistentvolumeclaims');
  assert.deepEqual(s.validate(pvc), []);
  assert.deepEqual(messages(s.validate({ metadata: { name: 'x' }, spec: { volumeMode: 'Filesystem' } })), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  const grown = structuredClone(pvc);
  (((grown['spec'] as Obj)['resources'] as Obj)['requests'] as Obj)['storage'] = '2Gi';
  assert.deepEqual(s.validateUpdate(grown, pvc), []);
  const changed = structuredClone(pvc);
  (changed['spec'] as Obj)['accessModes'] = ['ReadWriteMany'];
  assert.deepEqual(messages(s.validateUpdate(changed, pvc)), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  const pv = create('', 'persistentvolumes', {
    metadata: { name: 'pv1' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/d' } },
  });
  assert.equal((pv['spec'] as Obj)['persistentVolumeReclaimPolicy'], 'Retain');
  assert.deepEqual((pv['spec'] as Obj)['hostPath'], { path: '/d', type: '' });
  assert.equal((pv['status'] as Obj)['phase'], 'Pending');
  assert.deepEqual(strategyFor('', 'persistentvolumes').validate(pv), []);
});

test('storage classes default and freeze their parameters', () => {
  const sc = create('storage.k8s.io', 'storageclasses', { metadata: { name: 'local' }, provisioner: 'skiff.io/local-path' });
  assert.equal(sc['reclaimPolicy'], 'Delete');
  assert.equal(sc['volumeBindingMode'], 'Immediate');
  const s = strategyFor('storage.k8s.io', 'storageclasses');
  assert.deepEqual(s.validate(sc), []);
  assert.deepEqual(messages(s.validateUpdate({ ...sc, parameters: { a: 'b' } }, sc)), ['parameters: Forbidden: updates to parameters are forbidden.']);
});

test('ingresses: pathType and backends', () => {
  const s = strategyFor('networking.k8s.io', 'ingresses');
  const ing = create('networking.k8s.io', 'ingresses', {
    metadata: { name: 'web' },
    spec: {
      rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    },
  });
  assert.deepEqual(s.validate(ing), []);
  assert.equal((ing['metadata'] as Obj)['generation'], 1);
  const bad = {
    metadata: { name: 'web' },
    spec: { rules: [{ host: '10.0.0.1', http: { paths: [{ path: 'api', backend: { service: { name: 'web', port: {} } } }] } }] },
  };
  assert.deepEqual(messages(s.validate(bad)), [
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    'spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
  ]);
  assert.deepEqual(messages(s.validate({ metadata: { name: 'web' }, spec: {} })), [
    'spec: Invalid value: []: either `defaultBackend` or `rules` must be specified',
  ]);
});

test('network policies default policyTypes', () => {
  const np = create('networking.k8s.io', 'networkpolicies', { metadata: { name: 'np' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } });
  assert.deepEqual((np['spec'] as Obj)['policyTypes'], ['Ingress', 'Egress']);
  assert.deepEqual(((np['spec'] as { egress: Obj[] }).egress[0] as { ports: Obj[] }).ports[0], { port: 53, protocol: 'TCP' });
  assert.deepEqual(strategyFor('networking.k8s.io', 'networkpolicies').validate(np), []);
});

test('rbac: rules, subjects and roleRef', () => {
  const role = strategyFor('rbac.authorization.k8s.io', 'roles');
  assert.deepEqual(messages(role.validate({ metadata: { name: 'r' }, rules: [{ resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }] })), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  assert.deepEqual(
    strategyFor('rbac.authorization.k8s.io', 'clusterroles').validate({
      metadata: { name: 'system:x' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    }),
    [],
  );
  const crb = create('rbac.authorization.k8s.io', 'clusterrolebindings', {
    metadata: { name: 'b' },
    roleRef: { kind: 'ClusterRole', name: 'admin' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'ServiceAccount', name: 'default' },
    ],
  });
  assert.deepEqual(crb['roleRef'], { kind: 'ClusterRole', name: 'admin', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual(crb['subjects'], [
    { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'default', apiGroup: '' },
  ]);
  const s = strategyFor('rbac.authorization.k8s.io', 'clusterrolebindings');
  assert.deepEqual(messages(s.validate(crb)), ['subjects[1].namespace: Required value']);
  const changed = { ...crb, roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' } };
  assert.ok(messages(s.validateUpdate(changed, crb)).some((m) => m.startsWith('roleRef: Invalid value:') && m.endsWith(': cannot change roleRef')));
});

test('HPA v2 defaults and replica bounds', () => {
  const hpa = create('autoscaling', 'horizontalpodautoscalers', {
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, behavior: { scaleUp: { selectPolicy: 'Min' } } },
  });
  const spec = hpa['spec'] as Obj;
  assert.equal(spec['minReplicas'], 1);
  assert.deepEqual(spec['metrics'], [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(spec['behavior'], {
    scaleUp: {
      selectPolicy: 'Min',
      stabilizationWindowSeconds: 0,
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
  const s = strategyFor('autoscaling', 'horizontalpodautoscalers');
  assert.deepEqual(s.validate(hpa), []);
  assert.deepEqual(
    messages(s.validate({ metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 } })),
    ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
  );
});

test('PDBs, priority classes, leases, CSRs', () => {
  const pdb = strategyFor('policy', 'poddisruptionbudgets');
  assert.equal(
    messages(pdb.validate({ metadata: { name: 'p' }, spec: { minAvailable: 1, maxUnavailable: 1 } }))[0]?.endsWith(
      'minAvailable and maxUnavailable cannot be both set',
    ),
    true,
  );
  const pc = create('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'high' }, value: 1000 });
  assert.equal(pc['preemptionPolicy'], 'PreemptLowerPriority');
  const pcs = strategyFor('scheduling.k8s.io', 'priorityclasses');
  assert.deepEqual(messages(pcs.validateUpdate({ ...pc, value: 5 }, pc)), ['value: Forbidden: may not be changed in an update.']);
  assert.deepEqual(messages(strategyFor('coordination.k8s.io', 'leases').validate({ metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0 } })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  const csr = strategyFor('certificates.k8s.io', 'certificatesigningrequests');
  const request = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n').toString('base64');
  assert.deepEqual(
    csr.validate({ metadata: { name: 'c' }, spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } }),
    [],
  );
  assert.deepEqual(messages(csr.validate({ metadata: { name: 'c' }, spec: { request } })), ['spec.signerName: Required value', 'spec.usages: Required value']);
});

test('anything else gets ObjectMeta validation only', () => {
  const s = strategyFor('example.com', 'widgets');
  assert.deepEqual(s.validate({ metadata: { name: 'ok' }, spec: { anything: true } }), []);
  assert.equal(s.validate({ metadata: { name: 'Not OK' } }).length, 1);
  const withStatus = genericStrategy({ statusSubresource: true, tracksGeneration: true });
  const obj: Obj = { metadata: { name: 'w' }, spec: { a: 1 }, status: { ready: true } };
  withStatus.prepareForCreate(obj);
  assert.deepEqual(obj['status'], {});
  assert.equal((obj['metadata'] as Obj)['generation'], 1);
  const statusOnly = structuredClone(obj);
  statusOnly['status'] = { ready: false };
  withStatus.prepareForUpdate(statusOnly, obj);
  assert.equal((statusOnly['metadata'] as Obj)['generation'], 1);
  assert.deepEqual(statusOnly['status'], {}, 'status is written through /status only');
  const specChange = structuredClone(obj);
  specChange['spec'] = { a: 2 };
  withStatus.prepareForUpdate(specChange, obj);
  assert.equal((specChange['metadata'] as Obj)['generation'], 2);
});

test('new-style events need reporting fields', () => {
  const s = strategyFor('', 'events');
  const ev = {
    metadata: { name: 'e.1', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
  };
  assert.deepEqual(messages(s.validate(ev)), [
    'reportingController: Required value',
    `reportingController: Invalid value: "": name part must be non-empty`,
    `reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
    'type: Invalid value: "": has invalid value: ',
  ]);
  const ok = { ...ev, reportingComponent: 'skiff.io/scheduler', reportingInstance: 'node-1', action: 'Binding', reason: 'Scheduled', type: 'Normal' };
  assert.deepEqual(s.validate(ok), []);
});

test('ingress classes name a domain-prefixed controller that never changes', () => {
  const s = strategyFor('networking.k8s.io', 'ingressclasses');
  const ic = create('networking.k8s.io', 'ingressclasses', {
    metadata: { name: 'skiff' },
    spec: { controller: 'skiff.io/ingress', parameters: { kind: 'Config', name: 'c' } },
  });
  assert.equal(((ic['spec'] as Obj)['parameters'] as Obj)['scope'], 'Cluster');
  assert.deepEqual(s.validate(ic), []);
  assert.deepEqual(messages(s.validate({ metadata: { name: 'x' }, spec: { controller: 'nginx' } })), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
  ]);
  const moved = { ...ic, spec: { ...(ic['spec'] as Obj), controller: 'other.io/ingress' } };
  assert.deepEqual(messages(s.validateUpdate(moved, ic)), ['spec.controller: Invalid value: "other.io/ingress": field is immutable']);
});

test('resource quotas check quantities and scopes; status comes through /status', () => {
  const s = strategyFor('', 'resourcequotas');
  const rq = create('', 'resourcequotas', { metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.cpu': '4' } }, status: { used: { pods: '99' } } });
  assert.deepEqual(rq['status'], {});
  assert.deepEqual(s.validate(rq), []);
  assert.deepEqual(messages(s.validate({ metadata: { name: 'q' }, spec: { hard: { pods: '-1' }, scopes: ['Sometimes'] } })), [
    'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
    'spec.scopes[0]: Unsupported value: "Sometimes": supported values: "BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating", "VolumeAttributesClass"',
  ]);
  const st = structuredClone(rq);
  st['status'] = { hard: { pods: '10' }, used: { pods: '3' } };
  (st['spec'] as Obj)['hard'] = {};
  s.prepareForStatusUpdate(st, rq);
  assert.deepEqual((st['spec'] as Obj)['hard'], { pods: '10', 'requests.cpu': '4' });
  assert.deepEqual(s.validateStatusUpdate(st, rq), []);
});

test('node pod CIDRs and provider IDs are set once', () => {
  const s = strategyFor('', 'nodes');
  const old = { metadata: { name: 'n1' }, spec: { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'], providerID: 'skiff://n1' } };
  const moved = { metadata: { name: 'n1' }, spec: { podCIDR: '10.42.1.0/24', podCIDRs: ['10.42.1.0/24'], providerID: 'skiff://n2' } };
  assert.deepEqual(messages(s.validateUpdate(moved, old)), [
    'spec.podCIDR: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  assert.deepEqual(messages(s.validate({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.42.0.0'] } })), [
    'spec.podCIDRs[0]: Invalid value: "10.42.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
});

test('CSR spec is fixed after create; approval and status write their own parts', () => {
  const s = strategyFor('certificates.k8s.io', 'certificatesigningrequests');
  const request = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n').toString('base64');
  const csr = create('certificates.k8s.io', 'certificatesigningrequests', {
    metadata: { name: 'c' },
    spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    status: { certificate: 'forged' },
  });
  assert.deepEqual(csr['status'], {});
  const upd = structuredClone(csr);
  (upd['spec'] as Obj)['usages'] = ['server auth'];
  s.prepareForUpdate(upd, csr);
  assert.deepEqual((upd['spec'] as Obj)['usages'], ['client auth']);
  const approval = structuredClone(csr);
  approval['status'] = { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'forged' };
  prepareCsrApproval(approval, csr);
  assert.deepEqual(approval['status'], { conditions: [{ type: 'Approved', status: 'True' }] });
  const issued = structuredClone(approval);
  issued['status'] = { certificate: 'Y2VydA==', conditions: [] };
  s.prepareForStatusUpdate(issued, approval);
  assert.deepEqual(issued['status'], { certificate: 'Y2VydA==', conditions: [{ type: 'Approved', status: 'True' }] });
  assert.deepEqual(
    messages(
      s.validate({
        metadata: { name: 'c' },
        spec: { request: Buffer.from('junk').toString('base64'), signerName: 'x', usages: ['flying'], expirationSeconds: 60 },
      }),
    ),
    [
      `spec.request: Invalid value: "${Buffer.from('junk').toString('base64')}": PEM block type must be CERTIFICATE REQUEST`,
      'spec.signerName: Invalid value: "x": must be a fully qualified domain and path of the form \'example.com/signer-name\'',
      `spec.usages[0]: Unsupported value: "flying": supported values: ${['any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only', 'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping'].map((u) => JSON.stringify(u)).join(', ')}`,
      'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)',
    ],
  );
});
