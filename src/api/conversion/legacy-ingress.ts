// extensions/v1beta1 Ingress <-> networking.k8s.io/v1 Ingress. The old backend names a service
// by serviceName/servicePort (a number or a port name), v1 by service.name and service.port;
// the old spec.backend is v1's spec.defaultBackend, and a missing pathType meant ImplementationSpecific.
import { own, rec, type Converter, type Obj } from './converter.js';

function backendToV1(b: unknown): Obj | undefined {
  if (b === undefined || b === null) return undefined;
  const old = rec(b);
  const out: Obj = {};
  if (old.resource !== undefined && old.resource !== null) out.resource = old.resource;
  const port = old.servicePort;
  if ((typeof old.serviceName === 'string' && old.serviceName !== '') || (port !== undefined && port !== null && port !== 0 && port !== '')) {
    const service: Obj = { name: old.serviceName ?? '' };
    if (typeof port === 'string') service.port = { name: port };
    else if (typeof port === 'number') service.port = { number: port };
    out.service = service;
  }
  return out;
}

function backendFromV1(b: unknown): Obj | undefined {
  if (b === undefined || b === null) return undefined;
  const v1 = rec(b);
  const out: Obj = {};
  if (v1.service !== undefined && v1.service !== null) {
    const service = rec(v1.service);
    const port = rec(service.port);
    out.serviceName = service.name ?? '';
    // An unnamed, unnumbered port is Go's zero IntOrString: the number 0.
    out.servicePort = typeof port.name === 'string' && port.name !== '' ? port.name : typeof port.number === 'number' ? port.number : 0;
  }
  if (v1.resource !== undefined && v1.resource !== null) out.resource = v1.resource;
  return out;
}

function mapPaths(spec: Obj, convert: (backend: unknown) => Obj | undefined): void {
  if (!Array.isArray(spec.rules)) return;
  spec.rules = spec.rules.map((rule: unknown) => {
    const r: Obj = { ...rec(rule) };
    if (r.http === undefined || r.http === null) return r;
    const http = own(r, 'http');
    if (Array.isArray(http.paths)) {
      http.paths = http.paths.map((p: unknown) => {
        const path: Obj = { ...rec(p) };
        const backend = convert(path.backend);
        if (backend) path.backend = backend;
        return path;
      });
    }
    return r;
  });
}

function defaultIngress(obj: Obj): void {
  const spec = own(obj, 'spec');
  if (!Array.isArray(spec.rules)) return;
  for (const rule of spec.rules) {
    const paths = rec(rec(rule).http).paths;
    if (!Array.isArray(paths)) continue;
    for (const p of paths) {
      const path = rec(p);
      if (p === path && (path.pathType === undefined || path.pathType === null)) path.pathType = 'ImplementationSpecific';
    }
  }
}

/** Renames the default backend's field and converts every backend with the same function. */
function convertIngress(obj: Readonly<Obj>, from: string, to: string, convert: (backend: unknown) => Obj | undefined): Obj {
  const out: Obj = { ...obj };
  const spec = own(out, 'spec');
  const backend = convert(spec[from]);
  delete spec[from];
  if (backend) spec[to] = backend;
  mapPaths(spec, convert);
  return out;
}

export const extensionsIngressConverter: Converter = {
  defaults: defaultIngress,
  toStorage: (obj) => convertIngress(obj, 'backend', 'defaultBackend', backendToV1),
  fromStorage: (obj) => convertIngress(obj, 'defaultBackend', 'backend', backendFromV1),
};
