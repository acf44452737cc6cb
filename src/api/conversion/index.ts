// Conversion between the version a client speaks and the version a resource is stored in.
// Most resources have one version; autoscaling/v1 HPAs, events.k8s.io/v1 Events and the removed
// extensions/v1beta1 and apps/v1beta1,2 versions share storage with another version and convert.
import type { ResourceInfo } from '../resource-info.js';
import { apiVersionOf, resources } from '../resources.js';
import type { Converter, Obj } from './converter.js';
import { eventsFromCore, eventsToCore } from './events.js';
import { hpaV1FromV2, hpaV1ToV2 } from './hpa.js';
import { extensionsIngressConverter } from './legacy-ingress.js';
import { legacyWorkloadConverter, type LegacyWorkloadVersion } from './legacy-workloads.js';
import { applyDefaults, hasDefaults, type StructuralSchema } from '../custom-resources/structural-schema.js';

const sameShape = (obj: Readonly<Obj>): Obj => ({ ...obj });

const converters = new Map<string, Converter>([
  ['autoscaling/v1/horizontalpodautoscalers', { toStorage: hpaV1ToV2, fromStorage: hpaV1FromV2 }],
  ['events.k8s.io/v1/events', { toStorage: eventsToCore, fromStorage: eventsFromCore }],
  ['extensions/v1beta1/ingresses', extensionsIngressConverter],
  ['extensions/v1beta1/networkpolicies', { toStorage: sameShape, fromStorage: sameShape }],
  ...resources
    .filter((r) => r.storage.group === 'apps' && r.version !== 'v1')
    .map((r): [string, Converter] => [`${r.group}/${r.version}/${r.resource}`, legacyWorkloadConverter(apiVersionOf(r) as LegacyWorkloadVersion, r.kind)]),
]);

/** Custom resources with `conversion: None` differ between versions only in apiVersion. */
const rewriteApiVersion: Converter = { toStorage: (obj) => obj, fromStorage: (obj) => ({ ...obj }) };

/** Custom resources whose schema has defaults get them on every read too, as kube does. */
function defaultingConverter(schema: StructuralSchema): Converter {
  return {
    toStorage: (obj) => obj,
    fromStorage: (obj) => {
      const out = structuredClone(obj) as Obj;
      applyDefaults(schema, out);
      return out;
    },
  };
}

const defaulting = new WeakMap<StructuralSchema, Converter>();

function customConverter(r: ResourceInfo): Converter | undefined {
  const schema = r.custom?.schema;
  if (schema && hasDefaults(schema)) {
    let c = defaulting.get(schema);
    if (!c) defaulting.set(schema, (c = defaultingConverter(schema)));
    return c;
  }
  return r.storage.version === r.version ? undefined : rewriteApiVersion;
}

function converterFor(r: ResourceInfo): Converter | undefined {
  if (r.custom) return customConverter(r);
  if (r.storage.group === r.group && r.storage.version === r.version) return undefined;
  return converters.get(`${r.group}/${r.version}/${r.resource}`);
}

/** The object as stored: the storage version's apiVersion and kind. */
export function toStorageVersion(r: ResourceInfo, obj: Obj): Obj {
  const c = converterFor(r);
  c?.defaults?.(obj);
  const out = c ? c.toStorage(obj) : obj;
  out.apiVersion = apiVersionOf({ group: r.storage.group, version: r.storage.version });
  out.kind = r.kind;
  return out;
}

/** The object as the client's version shows it. Returns a new object when conversion is needed. */
export function fromStorageVersion(r: ResourceInfo, obj: Readonly<Obj>): Obj {
  const c = converterFor(r);
  const out = c ? c.fromStorage(obj) : { ...obj };
  out.apiVersion = apiVersionOf(r);
  out.kind = r.kind;
  return out;
}

/** Whether stored JSON can go out unchanged to clients of this version. */
export function sharesStorageShape(r: ResourceInfo): boolean {
  return converterFor(r) === undefined;
}
