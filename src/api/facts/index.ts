// The API type facts catalogue: wire-format facts for every built-in type, generated into
// facts.json by tools/gen-api-facts.ts and loaded once. Codecs, schemas, patches and defaulting
// look types and fields up here instead of hand-written tables.
import catalogueJson from './facts.json' with { type: 'json' };
import type { FactsCatalogue, FieldFacts, TypeFacts } from './types.js';

export type * from './types.js';
export { scalarZeroValue, specialZeroValue } from './zero-value.js';

// The JSON's inferred type widens literal unions to string; the generator writes the contract's shape.
const catalogue = catalogueJson as unknown as FactsCatalogue;

const byKind = new Map<string, string>();
for (const type of Object.values(catalogue.types)) {
  for (const gvk of type.gvk ?? []) byKind.set(kindKey(gvk.group, gvk.version, gvk.kind), type.name);
}

const fieldIndex = new Map<string, ReadonlyMap<string, FieldFacts>>();

/** Facts for a definition name such as `io.k8s.api.core.v1.Pod`. */
export function typeFacts(name: string): TypeFacts | undefined {
  return catalogue.types[name];
}

/** The definition name serving a kind, e.g. ('apps', 'v1', 'Deployment') → io.k8s.api.apps.v1.Deployment. */
export function typeNameForKind(group: string, version: string, kind: string): string | undefined {
  return byKind.get(kindKey(group, version, kind));
}

/** A field of a type by its JSON name (fields of inlined structs included). */
export function fieldFacts(typeName: string, jsonName: string): FieldFacts | undefined {
  let fields = fieldIndex.get(typeName);
  if (!fields) {
    const type = catalogue.types[typeName];
    if (!type) return undefined;
    fields = new Map(type.fields.map((f) => [f.name, f]));
    fieldIndex.set(typeName, fields);
  }
  return fields.get(jsonName);
}

export function allTypes(): readonly TypeFacts[] {
  return Object.values(catalogue.types);
}

/** Upstream commits the catalogue was generated from. */
export function factsSource(): FactsCatalogue['source'] {
  return catalogue.source;
}

function kindKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}
