import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extensionsIngressConverter as c } from './legacy-ingress.js';

type Obj = Record<string, unknown>;

const old: Obj = {
  metadata: { name: 'web' },
  spec: {
    ingressClassName: 'nginx',
    backend: { serviceName: 'fallback', servicePort: 8080 },
    tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
    rules: [
      {
        host: 'a.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { serviceName: 'site', servicePort: 80 } },
            { path: '/api', pathType: 'ImplementationSpecific', backend: { serviceName: 'api', servicePort: 'http' } },
            { path: '/static', pathType: 'Exact', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'assets' } } },
          ],
        },
      },
      { host: 'b.example.com' },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } },
};

test('backends move between serviceName/servicePort and service.name/port', () => {
  const v1 = c.toStorage(structuredClone(old));
  const spec = v1.spec as Obj;
  assert.equal(spec.backend, undefined);
  assert.deepEqual(spec.defaultBackend, { service: { name: 'fallback', port: { number: 8080 } } });
  const paths = ((spec.rules as Obj[])[0]!.http as Obj).paths as Obj[];
  assert.deepEqual(paths[0]!.backend, { service: { name: 'site', port: { number: 80 } } });
  assert.deepEqual(paths[1]!.backend, { service: { name: 'api', port: { name: 'http' } } });
  assert.deepEqual(paths[2]!.backend, { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'assets' } });
  assert.deepEqual((spec.rules as Obj[])[1], { host: 'b.example.com' });
  assert.deepEqual(v1.status, old.status);
});

test('the conversion round-trips without touching the stored object', () => {
  const v1 = c.toStorage(structuredClone(old));
  const frozen = structuredClone(v1);
  assert.deepEqual(c.fromStorage(v1), old);
  assert.deepEqual(v1, frozen);
});

test('paths without a pathType get ImplementationSpecific', () => {
  const ing: Obj = {
    spec: {
      rules: [
        {
          http: {
            paths: [
              { path: '/', backend: { serviceName: 's', servicePort: 80 } },
              { path: '/x', pathType: 'Exact' },
            ],
          },
        },
      ],
    },
  };
  c.defaults?.(ing);
  const paths = (((ing.spec as Obj).rules as Obj[])[0]!.http as Obj).paths as Obj[];
  assert.equal(paths[0]!.pathType, 'ImplementationSpecific');
  assert.equal(paths[1]!.pathType, 'Exact');
});
