// OpenAPI schemas of the built-in types, derived from the API facts: the `components.schemas` of
// each /openapi/v3/apis/<group>/<version> document and the `definitions` of /openapi/v2. Paths are
// built elsewhere; these are the types they point at.
import { allTypes, typeFacts, type FieldType, type TypeFacts } from '../facts/index.js';
import { definitionSchema, type Dialect, type Schema } from './definition-schema.js';

export type { Schema } from './definition-schema.js';

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** meta/v1 types every group version's paths refer to (delete bodies, patch bodies, responses, watch, discovery). */
const metaRoots = [`${meta}.DeleteOptions`, `${meta}.Patch`, `${meta}.Status`, `${meta}.WatchEvent`, `${meta}.APIResourceList`];

/**
 * The v3 `components.schemas` for one group version ('' is the core group): its kinds and every
 * schema they reach, plus the meta types its paths use. Empty when the group version is unknown.
 */
export function schemasForGroupVersion(group: string, version: string): Record<string, Schema> {
  const roots = kindsOf(group, version);
  if (roots.length === 0) return {};
  return render(closure([...roots, ...metaRoots]), 'v3');
}

/** The same schemas in the v2 (`#/definitions/...`) dialect. */
export function schemasForGroupVersionV2(group: string, version: string): Record<string, Schema> {
  const roots = kindsOf(group, version);
  if (roots.length === 0) return {};
  return render(closure([...roots, ...metaRoots]), 'v2');
}

/** Every definition the served group versions reach, for the /openapi/v2 document. */
export function allSchemasV2(): Record<string, Schema> {
  return render(closure(allRoots()), 'v2');
}

/** Every schema in the v3 dialect (for a document spanning all group versions). */
export function allSchemasV3(): Record<string, Schema> {
  return render(closure(allRoots()), 'v3');
}

function allRoots(): string[] {
  const roots = allTypes()
    .filter((t) => !t.name.startsWith(`${meta}.`) && t.gvk)
    .map((t) => t.name);
  return [...roots, ...metaRoots];
}

function kindsOf(group: string, version: string): string[] {
  return allTypes()
    .filter((t) => !t.name.startsWith(`${meta}.`) && t.gvk?.some((g) => g.group === group && g.version === version))
    .map((t) => t.name);
}

/** All type names reachable from the roots through field types. */
function closure(roots: readonly string[]): TypeFacts[] {
  const seen = new Map<string, TypeFacts>();
  const queue = [...roots];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    const type = typeFacts(name);
    if (!type) continue;
    seen.set(name, type);
    for (const field of type.fields) queue.push(...refsOf(field.type));
  }
  return [...seen.values()];
}

function refsOf(type: FieldType): string[] {
  switch (type.kind) {
    case 'ref':
      return [type.type];
    case 'array':
      return refsOf(type.items);
    case 'map':
      return refsOf(type.values);
    default:
      return [];
  }
}

function render(types: readonly TypeFacts[], dialect: Dialect): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const type of [...types].sort((a, b) => (a.name < b.name ? -1 : 1))) out[type.name] = definitionSchema(type, dialect);
  return out;
}

/** The meta/v1 schemas custom resources refer to (ObjectMeta, ListMeta and the path types). */
export function customResourceMetaSchemas(dialect: Dialect): Record<string, Schema> {
  return render(closure([...metaRoots, `${meta}.ObjectMeta`, `${meta}.ListMeta`]), dialect);
}
