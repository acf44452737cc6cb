import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from './errors.js';
import { allTypes, typeFacts, type FieldType } from './facts/index.js';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, hasProtobufForm } from './protobuf/index.js';
import { typedDecode } from './typed-decode.js';

const deployment = 'io.k8s.api.apps.v1.Deployment';
const pod = 'io.k8s.api.core.v1.Pod';

function refused(obj: Record<string, unknown>, typeName: string): string {
  try {
    typedDecode(obj, typeName);
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, 400);
    return err.message;
  }
  return assert.fail(`accepted ${JSON.stringify(obj)}`);
}

function podWith(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec };
}

describe('integers are checked as Go decodes them into int32 and int64', () => {
  test('int32 fields refuse values beyond int32 and fractions, with Go’s wording', () => {
    assert.equal(
      refused({ spec: { replicas: 2 ** 31 } }, deployment),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    refused({ spec: { replicas: -(2 ** 31) - 1 } }, deployment);
    refused({ spec: { replicas: 1.5 } }, deployment);
    const ok = { spec: { replicas: 2 ** 31 - 1, minReadySeconds: -(2 ** 31) } };
    typedDecode(ok, deployment);
    assert.equal(ok.spec.replicas, 2147483647);
  });

  test('int64 fields refuse ±2^63 and beyond, 1e30 and fractions', () => {
    // -2^63 fits Go's int64, but its JavaScript text (-9223372036854776000) does not: refused too.
    for (const v of [2 ** 63, -(2 ** 63), 1e30, -1e30, -(2 ** 64), 1.5, 1e300]) {
      const message = refused(podWith({ containers: [], terminationGracePeriodSeconds: v }), pod);
      assert.match(message, /cannot unmarshal number .* into Go struct field PodSpec\.spec\.terminationGracePeriodSeconds of type int64/);
    }
    const ok = podWith({ terminationGracePeriodSeconds: -(2 ** 63) + 1024, activeDeadlineSeconds: 2 ** 63 - 1024 });
    typedDecode(ok, pod);
  });

  test('from JSON text, integers written as 1.0 or 1e3 are refused as Go refuses them', async () => {
    const { rememberJsonSource } = await import('./json-number-literals.js');
    const fromText = (text: string) => {
      const body = JSON.parse(text) as Record<string, unknown>;
      rememberJsonSource(body, text);
      return body;
    };
    assert.match(
      refused(fromText('{"spec": {"replicas": 1.0}}'), deployment),
      /cannot unmarshal number 1\.0 into Go struct field DeploymentSpec\.spec\.replicas of type int32$/,
    );
    assert.match(
      refused(fromText('{"spec": {"strategy": {"rollingUpdate": {"maxSurge": 1e3}}}}'), deployment),
      /cannot unmarshal number 1e3 into Go struct field RollingUpdateDeployment\.spec\.strategy\.rollingUpdate\.maxSurge of type int32$/,
    );
    // Quantities take any number; without the text (a patch result) 1.0 is the integer 1.
    typedDecode(fromText('{"spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": 1.0}}}]}}'), pod);
    typedDecode({ spec: { replicas: 1.0 } }, deployment);
  });

  test('IntOrString holds an int32 or a string, as intstr.IntOrString', () => {
    const strategy = (maxSurge: unknown) => ({ spec: { strategy: { rollingUpdate: { maxSurge } } } });
    assert.equal(
      refused(strategy(2 ** 31), deployment),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    );
    refused(strategy(0.5), deployment);
    refused(strategy(true), deployment);
    for (const ok of [2 ** 31 - 1, '25%', 0]) typedDecode(strategy(ok), deployment);
  });
});

describe('quantities follow resource.ParseQuantity', () => {
  const withLimit = (cpu: unknown) => podWith({ containers: [{ name: 'c', image: 'i', resources: { limits: { cpu } } }] });
  test('text outside the grammar is refused with kube’s messages', () => {
    assert.equal(
      refused(withLimit('not-a-quantity'), pod),
      `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
    assert.match(refused(withLimit('1kk'), pod), /unable to parse quantity's suffix$/);
    assert.match(refused(withLimit('1e99999'), pod), /unable to parse numeric part of quantity$/);
    assert.match(refused(withLimit(''), pod), /quantities must match/);
    assert.match(refused(withLimit(true), pod), /quantities must match the regular expression/);
  });

  test('numbers and every suffix form are taken', () => {
    for (const ok of ['100m', '1.5', '1Gi', '1e3', '-1', ' 2 ', '1E', '.5', 1.5, 1e30]) typedDecode(withLimit(ok), pod);
    // Go trims the text before parsing and writes back the parsed quantity: no spaces are stored.
    const spaced = withLimit(' 2 ');
    typedDecode(spaced, pod);
    assert.equal((spaced.spec as { containers: { resources: { limits: { cpu: unknown } } }[] }).containers[0]!.resources.limits.cpu, '2');
    const sized = podWith({ volumes: [{ name: 'v', emptyDir: { sizeLimit: 'not-a-quantity' } }] });
    assert.match(refused(sized, pod), /quantities must match/);
  });
});

describe('nulls decode to what Go holds', () => {
  test('null list items become zero values and null fields go away', () => {
    const obj = podWith({
      containers: [null, { name: 'c', image: 'i', command: [null, 'x'], env: [null], ports: [null], volumeMounts: [null] }],
      tolerations: [null],
      nodeSelector: { a: null },
      overhead: { cpu: null },
      hostname: null,
    });
    typedDecode(obj, pod);
    assert.deepEqual(obj.spec, {
      containers: [{}, { name: 'c', image: 'i', command: ['', 'x'], env: [{}], ports: [{}], volumeMounts: [{}] }],
      tolerations: [{}],
      nodeSelector: { a: '' },
      overhead: { cpu: '0' },
    });
  });

  test('times must be RFC 3339 with fields in range, which protobuf can carry', () => {
    const lease = 'io.k8s.api.coordination.v1.Lease';
    assert.match(refused({ metadata: { name: 'l', creationTimestamp: '2024' } }, lease), /parsing time "2024"/);
    assert.match(refused({ spec: { renewTime: '2024-13-01T00:00:00.000000Z' } }, lease), /parsing time/);
    typedDecode({ spec: { renewTime: '2024-12-01T00:00:00.000000Z' } }, lease);
    const cronJob = 'io.k8s.api.batch.v1.CronJob';
    assert.match(
      refused({ metadata: { name: 'c', creationTimestamp: 5 } }, cronJob),
      /cannot unmarshal number 5 into Go struct field ObjectMeta\.metadata\.creationTimestamp of type string/,
    );
  });

  test('Secret data must be padded base64; line breaks are dropped as Go does', () => {
    const secret = 'io.k8s.api.core.v1.Secret';
    assert.match(refused({ data: { a: 'AQI' } }, secret), /illegal base64 data at input byte 0/);
    assert.match(refused({ data: { a: 'AQ!=' } }, secret), /illegal base64 data at input byte 2/);
    const ok = { data: { a: 'AQ\nI=', b: null } };
    typedDecode(ok, secret);
    assert.deepEqual(ok.data, { a: 'AQI=', b: '' });
  });
});

// Extreme values for every kind of number field, placed at random through objects of every kind.
const extremes = [0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53 + 2, 2 ** 63 - 1024, 2 ** 63, -(2 ** 63), 1e30, -1e30, 1.5, 1e300];
const strings = ['x', '', '\u0000', '\ud800', 'é'];
const times = ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:05+01:00', '2024', '2026-13-01T00:00:00Z', '0001-01-01T00:00:00Z'];
const quantities: unknown[] = ['1', '-1', '1e30', '1Ei', '9Ei', '100n', 'bad', 1.5, 1e30, '1e-30'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function generate(type: FieldType, rand: () => number, depth: number): unknown {
  switch (type.kind) {
    case 'string':
      return pick(rand, strings);
    case 'bool':
      return rand() < 0.9 ? rand() < 0.5 : 'true';
    case 'int32':
    case 'int64':
    case 'double':
      return pick(rand, extremes);
    case 'bytes':
      return pick(rand, ['AQI=', 'AQI', 'AQ\nI=', '!!!!']);
    case 'array':
      return rand() < 0.3 ? [null] : [generate(type.items, rand, depth)];
    case 'map':
      return { k: rand() < 0.2 ? null : generate(type.values, rand, depth) };
    case 'ref': {
      const facts = typeFacts(type.type);
      if (!facts) return undefined;
      switch (facts.special) {
        case 'quantity':
          return pick(rand, quantities);
        case 'int-or-string':
          return rand() < 0.2 ? 'x' : pick(rand, extremes);
        case 'time':
        case 'micro-time':
          return pick(rand, times);
        case 'duration':
          return '1s';
        case undefined:
          break;
        default:
          return undefined;
      }
      if (facts.enum) return facts.enum[0] ?? '';
      if (depth > 6) return {};
      const out: Record<string, unknown> = {};
      for (const f of facts.fields) {
        if (f.name === 'apiVersion' || f.name === 'kind' || rand() > 0.5) continue;
        const v = generate(f.type, rand, depth + 1);
        if (v !== undefined) out[f.name] = v;
      }
      return out;
    }
  }
}

test('for every kind, what typedDecode accepts with extreme and malformed values encodes to protobuf and back', () => {
  let accepted = 0;
  let refusedCount = 0;
  for (const type of allTypes()) {
    for (const gvk of type.gvk ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      if (!hasProtobufForm(apiVersion, gvk.kind)) continue;
      for (let seed = 1; seed <= 12; seed++) {
        const rand = random(seed * 7919 + type.name.length);
        const obj = { ...(generate({ kind: 'ref', type: type.name }, rand, 0) as Record<string, unknown>), apiVersion, kind: gvk.kind };
        try {
          typedDecode(obj, type.name);
        } catch (err) {
          assert.ok(err instanceof ApiError && err.code === 400, `${type.name}: ${String(err)}`);
          refusedCount++;
          continue;
        }
        accepted++;
        const bytes = encodeKubernetesProtobuf(obj);
        const back = decodeKubernetesProtobuf(bytes).object;
        assert.deepEqual(encodeKubernetesProtobuf(back), bytes, `${type.name} seed ${seed}`);
      }
    }
  }
  // Both outcomes must have happened for the test to mean anything.
  assert.ok(accepted > 100 && refusedCount > 100, `accepted ${accepted}, refused ${refusedCount}`);
});
