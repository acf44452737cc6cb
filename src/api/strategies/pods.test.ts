import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { podStrategy } from './pods.js';
import { defaultPullPolicy } from './pod-spec-defaults.js';
import type { Obj } from './object-access.js';

const messages = (errs: readonly FieldError[]) => errs.map(fieldErrorMessage);

function newPod(spec: Obj, name = 'web'): Obj {
  const pod: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: 'u1' }, spec };
  podStrategy.default(pod);
  podStrategy.prepareForCreate(pod);
  return pod;
}

test('pull policy follows the tag', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('registry:5000/nginx'), 'Always');
  assert.equal(defaultPullPolicy('registry:5000/nginx:1.25'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('nginx@sha256:abc'), 'IfNotPresent');
});

test('a minimal pod gets the defaults kube-apiserver stores', () => {
  const pod = newPod({ containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] });
  assert.deepEqual(pod['spec'], {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
  });
  assert.deepEqual(pod['status'], { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal((pod['metadata'] as Obj)['generation'], 1);
  assert.deepEqual(podStrategy.validate(pod), []);
});

test('probes, volumes and env refs get their defaults', () => {
  const pod = newPod({
    containers: [
      {
        name: 'c',
        image: 'busybox',
        livenessProbe: { httpGet: { port: 8080 } },
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      },
    ],
    volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }, { name: 'c', configMap: { name: 'm' } }, { name: 'd', hostPath: { path: '/x' } }],
  });
  const spec = pod['spec'] as { containers: Obj[]; volumes: Obj[] };
  assert.deepEqual(spec.containers[0]?.['livenessProbe'], {
    httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(spec.containers[0]?.['env'], [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }]);
  assert.deepEqual(spec.volumes, [
    { name: 'a', emptyDir: {} },
    { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'c', configMap: { name: 'm', defaultMode: 420 } },
    { name: 'd', hostPath: { path: '/x', type: '' } },
  ]);
});

test('requests default to limits and decide the QoS class', () => {
  const guaranteed = newPod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] });
  assert.deepEqual(((guaranteed['spec'] as { containers: Obj[] }).containers[0]?.['resources'] as Obj)['requests'], { cpu: '500m', memory: '128Mi' });
  assert.equal((guaranteed['status'] as Obj)['qosClass'], 'Guaranteed');
  const burstable = newPod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] });
  assert.equal((burstable['status'] as Obj)['qosClass'], 'Burstable');
});

test('typical mistakes give kube messages', () => {
  assert.deepEqual(messages(podStrategy.validate(newPod({ containers: [] }))), ['spec.containers: Required value']);
  const pod = newPod({
    restartPolicy: 'Sometimes',
    containers: [
      { name: 'Web', image: '', ports: [{ containerPort: 70000 }], volumeMounts: [{ name: 'data', mountPath: '/d' }] },
      { name: 'side', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } }, env: [{ name: 'A=B', value: '1' }] },
      { name: 'side', image: 'x', imagePullPolicy: 'Sometimes' },
    ],
  });
  const errs = messages(podStrategy.validate(pod));
  assert.ok(
    errs.includes(
      "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ),
    errs.join('\n'),
  );
  assert.ok(errs.includes('spec.containers[0].image: Required value'));
  assert.ok(errs.includes('spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'));
  assert.ok(errs.includes('spec.containers[0].volumeMounts[0].name: Not found: "data"'));
  assert.ok(errs.includes('spec.containers[1].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1'));
  assert.ok(
    errs.includes(
      `spec.containers[1].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ),
  );
  assert.ok(errs.includes('spec.containers[2].name: Duplicate value: "side"'));
  assert.ok(errs.includes('spec.containers[2].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'));
  assert.ok(errs.includes('spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'));
});

test('updates may change images but not other spec fields', () => {
  const old = newPod({ containers: [{ name: 'c', image: 'nginx:1' }] });
  const imageOnly = structuredClone(old);
  ((imageOnly['spec'] as { containers: Obj[] }).containers[0] as Obj)['image'] = 'nginx:2';
  podStrategy.prepareForUpdate(imageOnly, old);
  assert.deepEqual(podStrategy.validateUpdate(imageOnly, old), []);
  assert.equal((imageOnly['metadata'] as Obj)['generation'], 2);

  const changed = structuredClone(old);
  (changed['spec'] as Obj)['restartPolicy'] = 'Never';
  podStrategy.prepareForUpdate(changed, old);
  const errs = podStrategy.validateUpdate(changed, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.field, 'spec');
  assert.ok(
    fieldErrorMessage(errs[0]).startsWith(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    ),
  );
  assert.match(errs[0]?.detail ?? '', /restartPolicy: "Always"/);

  const added = structuredClone(old);
  (added['spec'] as { containers: Obj[] }).containers.push({ name: 'd', image: 'x' });
  podStrategy.default(added);
  assert.deepEqual(messages(podStrategy.validateUpdate(added, old)), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('main updates keep status; status updates keep spec', () => {
  const old = newPod({ containers: [{ name: 'c', image: 'x' }] });
  const upd = structuredClone(old);
  upd['status'] = { phase: 'Running' };
  podStrategy.prepareForUpdate(upd, old);
  assert.equal((upd['status'] as Obj)['phase'], 'Pending');
  const st = structuredClone(old);
  st['status'] = { phase: 'Running' };
  (st['spec'] as Obj)['nodeName'] = 'sneaky';
  podStrategy.prepareForStatusUpdate(st, old);
  assert.equal((st['status'] as Obj)['phase'], 'Running');
  assert.equal((st['spec'] as Obj)['nodeName'], undefined);
});

test('graceful deletion follows the pod', () => {
  const pod = newPod({ containers: [{ name: 'c', image: 'x' }], terminationGracePeriodSeconds: 5 });
  assert.equal(podStrategy.gracePeriod(pod), 0, 'unscheduled pods go at once');
  (pod['spec'] as Obj)['nodeName'] = 'n1';
  assert.equal(podStrategy.gracePeriod(pod), 5);
  assert.equal(podStrategy.gracePeriod(pod, 0), 0);
});

test('pod names with dots draw the hostname warning', () => {
  const pod = newPod({ containers: [{ name: 'c', image: 'x' }] }, 'web.v1');
  assert.deepEqual(podStrategy.warnings(pod), [
    "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
  ]);
});

test('scheduling constraints and security contexts are checked', () => {
  const pod = newPod({
    containers: [{ name: 'c', image: ' x', securityContext: { runAsUser: -1 } }],
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } },
    },
    topologySpreadConstraints: [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe' }],
  });
  assert.deepEqual(messages(podStrategy.validate(pod)), [
    'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
    'spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty',
    'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
    'spec.containers[0].image: Invalid value: " x": must not have leading or trailing whitespace',
  ]);
});

test('volumes, env sources, probes and sidecars are checked', () => {
  const pod = newPod({
    volumes: [
      { name: 'a', secret: {} },
      { name: 'a', emptyDir: {}, configMap: { name: 'c', items: [{ key: 'k', path: '../x' }] } },
    ],
    initContainers: [{ name: 'init', image: 'x', readinessProbe: { exec: { command: ['true'] } } }],
    containers: [
      {
        name: 'c',
        image: 'x',
        env: [
          { name: 'A', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'B', valueFrom: {} },
          { name: 'C', valueFrom: { configMapKeyRef: { name: 'm' } } },
        ],
        envFrom: [{}],
        livenessProbe: { httpGet: { port: 'http' }, successThreshold: 2 },
        readinessProbe: {},
        volumeMounts: [
          { name: 'a', mountPath: '/a' },
          { name: 'a', mountPath: '/a', subPath: '/abs' },
        ],
      },
    ],
  });
  assert.deepEqual(messages(podStrategy.validate(pod)), [
    'spec.volumes[0].secret.secretName: Required value',
    'spec.volumes[1].name: Duplicate value: "a"',
    'spec.volumes[1].configMap: Forbidden: may not specify more than 1 volume type',
    'spec.volumes[1].configMap.items[0].path: Invalid value: "../x": must not contain \'..\'',
    'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    'spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    'spec.containers[0].env[2].valueFrom.configMapKeyRef.key: Required value',
    'spec.containers[0].envFrom[0]: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
    'spec.containers[0].volumeMounts[1].subPath: Invalid value: "/abs": must be a relative path',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.containers[0].readinessProbe: Required value: must specify a handler type',
  ]);
  const sidecar = newPod({
    initContainers: [{ name: 'log', image: 'x', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } }],
    containers: [{ name: 'c', image: 'x' }],
  });
  assert.deepEqual(podStrategy.validate(sidecar), []);
});

test('hostNetwork pods publish container ports on the host', () => {
  const pod = newPod({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] });
  assert.deepEqual(((pod['spec'] as { containers: Obj[] }).containers[0] as { ports: Obj[] }).ports[0], {
    containerPort: 8080,
    hostPort: 8080,
    protocol: 'TCP',
  });
  assert.deepEqual(podStrategy.validate(pod), []);
});

test('scheduling gates: a gated condition on create, and gates may only be removed', () => {
  const pod = newPod({ schedulingGates: [{ name: 'example.com/wait' }], containers: [{ name: 'c', image: 'x' }] });
  const conditions = (pod['status'] as { conditions: Obj[] }).conditions;
  assert.equal(conditions[0]?.['reason'], 'SchedulingGated');
  const removed = structuredClone(pod);
  (removed['spec'] as Obj)['schedulingGates'] = [];
  assert.deepEqual(podStrategy.validateUpdate(removed, pod), []);
  const added = structuredClone(pod);
  (added['spec'] as Obj)['schedulingGates'] = [{ name: 'example.com/wait' }, { name: 'example.com/more' }];
  assert.deepEqual(messages(podStrategy.validateUpdate(added, pod)), [
    'spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate',
  ]);
});

test('tolerations may be added, not changed', () => {
  const old = newPod({ containers: [{ name: 'c', image: 'x' }], tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] });
  const more = structuredClone(old);
  (more['spec'] as { tolerations: Obj[] }).tolerations.push({ key: 'b', operator: 'Exists' });
  assert.deepEqual(podStrategy.validateUpdate(more, old), []);
  const changed = structuredClone(old);
  (changed['spec'] as Obj)['tolerations'] = [{ key: 'a', operator: 'Exists', effect: 'NoExecute' }];
  assert.deepEqual(messages(podStrategy.validateUpdate(changed, old)), [
    'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
  ]);
});

test('null list items, decoded to empty structs as Go does, are refused by validation', async () => {
  const { typedDecode } = await import('../typed-decode.js');
  const pod: Obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [null, { name: 'c', image: 'i', env: [null], ports: [null], volumeMounts: [null] }], tolerations: [null] },
  };
  typedDecode(pod, 'io.k8s.api.core.v1.Pod');
  podStrategy.default(pod);
  podStrategy.prepareForCreate(pod);
  const errs = messages(podStrategy.validate(pod));
  for (const want of [
    'spec.containers[0].name: Required value',
    'spec.containers[0].image: Required value',
    'spec.containers[1].env[0].name: Required value',
    'spec.containers[1].ports[0].containerPort: Required value',
    'spec.containers[1].volumeMounts[0].name: Required value',
    'spec.containers[1].volumeMounts[0].mountPath: Required value',
    'spec.tolerations[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"',
  ])
    assert.ok(errs.includes(want), `${want} in ${errs.join('\n')}`);
});

test('downward API field paths, sizeLimit and overhead are checked as kube checks them', () => {
  const env = (fieldPath: string) => ({ name: 'E', valueFrom: { fieldRef: { fieldPath } } });
  const pod = newPod({
    containers: [
      {
        name: 'c',
        image: 'i',
        env: [env('metadata.name'), env('status.phase'), env('spec.nope'), env("metadata.labels['app']"), env("spec.nodeName['x']")],
      },
    ],
    volumes: [
      {
        name: 'd',
        downwardAPI: {
          items: [
            { path: 'l', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'n', fieldRef: { fieldPath: 'spec.nodeName' } },
          ],
        },
      },
      { name: 'e', emptyDir: { sizeLimit: '-1' } },
    ],
    overhead: { cpu: '-1' },
  });
  assert.deepEqual(messages(podStrategy.validate(pod)), [
    'spec.volumes[0].downwardAPI.items[1].fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
    'spec.volumes[1].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity',
    'spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nope": error converting fieldPath: field label not supported: spec.nope',
    `spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeName['x']": error converting fieldPath: field label does not support subscript: spec.nodeName['x']`,
    'spec.overhead.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0',
  ]);
});

test('a gRPC probe gets its service defaulted to "" (kubectl describe dereferences it); handlers need a handler and a port', () => {
  const pod = newPod({ containers: [{ name: 'c', image: 'i', livenessProbe: { grpc: { port: 9000 } } }] });
  const containers = (pod['spec'] as { containers: { livenessProbe: { grpc: unknown } }[] }).containers;
  assert.deepEqual(containers[0]!.livenessProbe.grpc, { port: 9000, service: '' });
  const invalid = newPod({
    containers: [
      {
        name: 'c',
        image: 'i',
        readinessProbe: { tcpSocket: {} },
        lifecycle: { postStart: {}, preStop: { httpGet: { port: 70000 } } },
      },
    ],
  });
  assert.deepEqual(messages(podStrategy.validate(invalid)), [
    'spec.containers[0].readinessProbe.tcpSocket.port: Required value',
    'spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
    'spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
});
