// Conversion between the version a client speaks and the version a resource is stored in.
// Most resources have one version; autoscaling/v1 HPAs and events.k8s.io/v1 Events share
// storage with another version and convert field by field.
import type { ResourceInfo } from '../resources.js';
import { apiVersionOf } from '../resources.js';
import { eventsFromCore, eventsToCore } from './events.js';
import { hpaV1FromV2, hpaV1ToV2 } from './hpa.js';

type Obj = Record<string, unknown>;

interface Converter {
  toStorage(obj: Obj): Obj;
  fromStorage(obj: Readonly<Obj>): Obj;
}

const converters = new Map<string, Converter>([
  ['autoscaling/v1/horizontalpodautoscalers', { toStorage: hpaV1ToV2, fromStorage: hpaV1FromV2 }],
  ['events.k8s.io/v1/events', { toStorage: eventsToCore, fromStorage: eventsFromCore }],
]);

/** Custom resources with `conversion: None` differ between versions only in apiVersion. */
const rewriteApiVersion: Converter = { toStorage: (obj) => obj, fromStorage: (obj) => ({ ...obj }) };

function converterFor(r: ResourceInfo): Converter | undefined {
  if (r.storage.group === r.group && r.storage.version === r.version) return undefined;
  if (r.custom) return rewriteApiVersion;
  return converters.get(`${r.group}/${r.version}/${r.resource}`);
}

/** The object as stored: the storage version's apiVersion and kind. */
export function toStorageVersion(r: ResourceInfo, obj: Obj): Obj {
  const c = converterFor(r);
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
