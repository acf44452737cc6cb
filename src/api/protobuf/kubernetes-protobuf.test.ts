import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ApiError } from '../errors.js';
import { seededRandom } from '../seeded-random.test-support.js';
import { decodeKubernetesProtobuf, decodeWatchEventFrames, encodeKubernetesProtobuf, encodeWatchEventFrame, hasProtobufForm } from './index.js';

// Request bodies captured from kubectl 1.35 (`kubectl create ...` against a recording server),
// beside the JSON the same command prints with `--dry-run=client -o json`.
const fixtures = ['configmap', 'secret', 'namespace', 'deployment', 'service', 'job', 'cronjob', 'role'];

function fixture(name: string): { pb: Uint8Array; json: Record<string, unknown> } {
  // Test data stays in the source tree; compiled tests under dist/ read it from there.
  const dir = new URL('./testdata/', import.meta.url.replace('/dist/src/', '/src/'));
  return {
    pb: new Uint8Array(readFileSync(new URL(`${name}.pb`, dir))),
    json: JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Record<string, unknown>,
  };
}

for (const name of fixtures) {
  test(`kubectl's ${name} body decodes to the JSON kubectl would send`, () => {
    const { pb, json } = fixture(name);
    const decoded = decodeKubernetesProtobuf(pb);
    assert.equal(decoded.apiVersion, json.apiVersion);
    assert.equal(decoded.kind, json.kind);
    assert.deepEqual(decoded.object, json);
  });

  test(`re-encoding kubectl's ${name} body gives the same bytes`, () => {
    const { pb } = fixture(name);
    assert.deepEqual(encodeKubernetesProtobuf(decodeKubernetesProtobuf(pb).object), pb);
  });
}

test('secret data arrives as base64 and empty values survive', () => {
  const { object } = decodeKubernetesProtobuf(fixture('secret').pb);
  assert.deepEqual(object.data, { bin: 'AQI=', password: 'aHVudGVyMg==' });
  const cm = decodeKubernetesProtobuf(fixture('configmap').pb).object;
  assert.deepEqual(cm.data, { a: 'b', empty: '' });
});

test('special types round-trip: times, quantities, int-or-string, durations, raw JSON', () => {
  const pod = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: 'p',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2024-01-02T03:04:05Z',
      deletionTimestamp: '2024-01-02T03:05:00Z',
      labels: { b: '2', a: '1' },
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2024-01-02T03:04:05Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          resources: { limits: { cpu: '200m', memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: 8080 } },
          env: [{ name: 'A', value: '1' }],
        },
      ],
      terminationGracePeriodSeconds: 0,
      volumes: [
        { name: 'v', emptyDir: { sizeLimit: '1Gi' } },
        { name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-02T03:04:06Z' }],
    },
  };
  const back = decodeKubernetesProtobuf(encodeKubernetesProtobuf(pod)).object as typeof pod & Record<string, unknown>;
  assert.equal(back.metadata.creationTimestamp, '2024-01-02T03:04:05Z');
  assert.equal(back.metadata.deletionTimestamp, '2024-01-02T03:05:00Z');
  assert.deepEqual(back.metadata.labels, { a: '1', b: '2' });
  assert.deepEqual(back.metadata.managedFields[0]?.fieldsV1, pod.metadata.managedFields[0]?.fieldsV1);
  const c = back.spec.containers[0]!;
  assert.deepEqual(c.resources, { limits: { cpu: '200m', memory: '64Mi' } });
  assert.equal(c.readinessProbe.httpGet.port, 'http');
  assert.equal(c.livenessProbe.tcpSocket.port, 8080);
  // A pointer set to zero is kept; omitempty drops nothing behind a pointer.
  assert.equal(back.spec.terminationGracePeriodSeconds, 0);
  assert.deepEqual(back.spec.volumes, [
    { name: 'v', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } },
  ]);
  assert.deepEqual(back.status.conditions, pod.status.conditions);
});

test('micro-time keeps microseconds and durations use Go syntax', () => {
  const lease = {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    metadata: { name: 'l' },
    spec: { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2024-01-02T03:04:05.123456Z' },
  };
  const back = decodeKubernetesProtobuf(encodeKubernetesProtobuf(lease)).object;
  assert.deepEqual(back.spec, lease.spec);
  const job = {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name: 'j' },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Never' } } },
  };
  const jobBack = decodeKubernetesProtobuf(encodeKubernetesProtobuf(job)).object as { spec: { template: { spec: Record<string, unknown> } } };
  assert.equal(jobBack.spec.template.spec.restartPolicy, 'Never');
});

test('negative int32 values and wrapped lists round-trip', () => {
  const list = {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'v1',
    resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] }],
  };
  assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(list)).object, list);
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'm', reason: 'NotFound', code: -404 };
  assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(status)).object, status);
});

test('malformed bodies are 400 Bad Request, never crashes', () => {
  const { pb } = fixture('deployment');
  const cases: Uint8Array[] = [
    new Uint8Array(0),
    Uint8Array.of(0x7b, 0x7d),
    pb.subarray(0, 4),
    pb.subarray(0, pb.length - 3),
    Uint8Array.of(...pb.subarray(0, 4), 0x0a, 0x05, 0x0a, 0x02, 0x76, 0x31),
    // A kind that does not exist.
    Uint8Array.of(...pb.subarray(0, 4), 0x0a, 0x09, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x03, 0x46, 0x6f, 0x6f),
  ];
  // Every truncation of a real body either decodes or fails cleanly.
  for (let i = 4; i < pb.length; i += 7) cases.push(pb.subarray(0, i));
  for (const body of cases) {
    try {
      decodeKubernetesProtobuf(body);
    } catch (err) {
      assert.ok(err instanceof ApiError, `not an ApiError: ${String(err)}`);
      assert.equal(err.code, 400);
    }
  }
  assert.throws(
    () => decodeKubernetesProtobuf(new Uint8Array(0)),
    (err: unknown) => err instanceof ApiError && err.code === 400,
  );
});

test('kinds without a protobuf form are refused for encoding', () => {
  assert.equal(hasProtobufForm('apps/v1', 'Deployment'), true);
  assert.equal(hasProtobufForm('meta.k8s.io/v1', 'Table'), false);
  assert.equal(hasProtobufForm('example.com/v1', 'Widget'), false);
  assert.throws(
    () => encodeKubernetesProtobuf({ apiVersion: 'example.com/v1', kind: 'Widget' }),
    (err: unknown) => err instanceof ApiError && err.code === 406,
  );
  assert.throws(
    () => encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 5 } }),
    (err: unknown) => err instanceof ApiError && err.code === 500,
  );
});

test('watch events nest their object as a protobuf envelope and decode back to JSON', () => {
  const event = {
    kind: 'WatchEvent',
    apiVersion: 'v1',
    type: 'ADDED',
    object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', namespace: 'default' }, data: { a: 'b' } },
  };
  const bytes = encodeKubernetesProtobuf(event);
  // The nested envelope carries its own magic prefix.
  assert.ok(Buffer.from(bytes).indexOf(Buffer.from('k8s\0'), 4) > 0);
  assert.deepEqual(decodeKubernetesProtobuf(bytes).object, event);
  const raw = { kind: 'WatchEvent', apiVersion: 'v1', type: 'ADDED', object: { spec: { replicas: 1 } } };
  assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(raw)).object, raw);
});

test('maps of wrapped lists and bytes fields round-trip', () => {
  const review = {
    kind: 'SubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: {
      resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' },
      user: 'alice',
      groups: ['dev'],
      extra: { scopes: ['a', 'b'], empty: [] },
    },
    status: { allowed: false },
  };
  const back = decodeKubernetesProtobuf(encodeKubernetesProtobuf(review)).object as typeof review;
  assert.deepEqual(back.spec.extra, { empty: [], scopes: ['a', 'b'] });
  assert.deepEqual(back.spec.groups, ['dev']);
  assert.deepEqual(back.status, { allowed: false });

  const csr = {
    kind: 'CertificateSigningRequest',
    apiVersion: 'certificates.k8s.io/v1',
    metadata: { name: 'c' },
    spec: {
      request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----').toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['client auth'],
    },
    status: {},
  };
  const csrBack = decodeKubernetesProtobuf(encodeKubernetesProtobuf(csr)).object as typeof csr;
  assert.equal(csrBack.spec.request, csr.spec.request);
  assert.deepEqual(csrBack.spec.usages, ['client auth']);
  assert.throws(
    () => encodeKubernetesProtobuf({ ...csr, spec: { ...csr.spec, request: 'not base64!' } }),
    (err: unknown) => err instanceof ApiError && err.code === 500,
  );
});

test('absent non-pointer fields decode to Go zero values, then omitempty applies', () => {
  // A Role with an empty message: `rules` has no omitempty, so Go writes null.
  const role = encodeKubernetesProtobuf({ kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'r' } });
  assert.deepEqual(decodeKubernetesProtobuf(role).object, {
    kind: 'Role',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: { name: 'r' },
    rules: null,
  });
  // A Service port without targetPort: IntOrString is a struct, which omitempty never drops.
  const svc = encodeKubernetesProtobuf({ kind: 'Service', apiVersion: 'v1', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
  const spec = decodeKubernetesProtobuf(svc).object.spec as { ports: unknown[] };
  assert.deepEqual(spec.ports, [{ port: 80, targetPort: 0 }]);
});

test('watch stream frames: length-prefixed bare WatchEvents holding enveloped objects', () => {
  const cm = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', resourceVersion: '5' }, data: { a: 'b' } };
  const bookmark = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '6', annotations: { 'k8s.io/initial-events-end': 'true' } } };
  const first = encodeWatchEventFrame('ADDED', cm);
  const second = encodeWatchEventFrame('BOOKMARK', bookmark);
  assert.equal(new DataView(first.buffer).getUint32(0, false), first.length - 4);
  // The frame body is not enveloped; the object inside it is.
  assert.notDeepEqual(first.subarray(4, 8), Uint8Array.of(0x6b, 0x38, 0x73, 0x00));
  const stream = new Uint8Array([...first, ...second, ...second.subarray(0, 6)]);
  const { events, rest } = decodeWatchEventFrames(stream);
  assert.deepEqual(events, [
    { type: 'ADDED', object: cm },
    { type: 'BOOKMARK', object: bookmark },
  ]);
  assert.equal(rest.length, 6);
  assert.throws(
    () => encodeWatchEventFrame('ADDED', { apiVersion: 'example.com/v1', kind: 'Widget' }),
    (err: unknown) => err instanceof ApiError && err.code === 406,
  );
});

test('garbage and mutated bodies decode or are a 400, never another exception', () => {
  const next = seededRandom(0x6b387300);
  const bodies = fixtures.map((name) => fixture(name).pb);
  for (let i = 0; i < 4000; i++) {
    let body: Uint8Array;
    if (i % 4 === 0) {
      // The magic, then random bytes.
      body = new Uint8Array(4 + Math.floor(next() * 64));
      body.set([0x6b, 0x38, 0x73, 0x00]);
      for (let j = 4; j < body.length; j++) body[j] = Math.floor(next() * 256);
    } else {
      // A real body with a few bytes changed, or cut short.
      body = bodies[i % bodies.length]!.slice();
      for (let n = 1 + Math.floor(next() * 4); n > 0; n--) body[4 + Math.floor(next() * (body.length - 4))] = Math.floor(next() * 256);
      if (next() < 0.3) body = body.subarray(0, 4 + Math.floor(next() * (body.length - 4)));
    }
    try {
      decodeKubernetesProtobuf(body);
    } catch (err) {
      assert.ok(err instanceof ApiError, `body ${i} (${Buffer.from(body).toString('hex')}) threw ${String(err)}`);
      assert.equal(err.code, 400, `body ${i}: ${err.message}`);
    }
  }
});

test('envelopes nested five thousand deep are a 400, not a crash', () => {
  // A ControllerRevision whose data (a RawExtension) holds an envelope whose data holds an envelope...
  const revision = fixture('configmap').pb; // any envelope will do as the innermost object
  let inner: Uint8Array = revision;
  const lengthPrefix = (n: number): number[] => {
    const out: number[] = [];
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
    return out;
  };
  const typeMeta = Buffer.from('\x0a\x07apps/v1\x12\x12ControllerRevision', 'latin1');
  for (let depth = 0; depth < 5_000; depth++) {
    // ControllerRevision.data (field 2) is a RawExtension whose raw (field 1) is the inner envelope.
    const raw = [0x0a, ...lengthPrefix(inner.length)];
    const data = [0x12, ...lengthPrefix(raw.length + inner.length)];
    const message = Buffer.concat([Buffer.from(data), Buffer.from(raw), inner]);
    const unknown = Buffer.concat([
      Buffer.from([0x0a, ...lengthPrefix(typeMeta.length)]),
      typeMeta,
      Buffer.from([0x12, ...lengthPrefix(message.length)]),
      message,
    ]);
    inner = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
  }
  assert.throws(
    () => decodeKubernetesProtobuf(inner),
    (err: unknown) => err instanceof ApiError && err.code === 400 && /: embedded objects nest more than 100 deep$/.test(err.message),
  );
});
