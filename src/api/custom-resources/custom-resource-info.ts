// Turns an established CustomResourceDefinition into the ResourceInfos of its served versions,
// carrying what the rest of the server needs from each version: schema, printer columns,
// selectable fields, the scale paths, the deprecation warning, and the strategy objects use.
import type { CustomPrinterColumn, ResourceInfo, SubresourceInfo } from '../resource-info.js';
import type { Strategy } from '../strategies/strategy.js';
import { validateAgainstSchema, type StructuralSchema } from './structural-schema.js';
import { defineStrategy } from '../strategies/strategy.js';
import { contentDiffers } from '../strategies/strategy.js';
import { nameIsDNSSubdomain } from '../strategies/name-validation.js';
import { isRecord } from '../../lang/index.js';

type Obj = Record<string, unknown>;

/** A string field, or the fallback when it is missing or not a string. */
function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** kube's version priority: GA before beta before alpha, higher numbers first, then other names alphabetically. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
}

function customStrategy(schema: StructuralSchema | undefined, hasStatus: boolean, namespaced: boolean): Strategy {
  const schemaErrors = (obj: Readonly<Obj>) => (schema ? validateAgainstSchema(schema, obj) : []);
  void namespaced;
  return defineStrategy({
    nameFn: nameIsDNSSubdomain,
    statusSubresource: hasStatus,
    // Without a status subresource every change but metadata bumps generation, status included.
    specChanged: hasStatus ? contentDiffers : (a, b) => contentDiffers(a, b) || JSON.stringify(a.status) !== JSON.stringify(b.status),
    initialStatus: (obj) => (isRecord(obj.status) && !hasStatus ? obj.status : undefined),
    validate: schemaErrors,
    validateStatus: (obj) => schemaErrors(obj),
  });
}

/** The ResourceInfos of a CRD's served versions, preferred version first; none until it is established. */
export function customResourceInfos(crd: Readonly<Obj>): ResourceInfo[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const namespaced = spec.scope !== 'Cluster';
  const versions = (Array.isArray(spec.versions) ? spec.versions : []).filter(isRecord);
  const storage = versions.find((v) => v.storage === true);
  const crdName = isRecord(crd.metadata) && typeof crd.metadata.name === 'string' ? crd.metadata.name : `${plural}.${group}`;
  if (!group || !plural || !kind || !storage) return [];
  const out: ResourceInfo[] = [];
  for (const v of versions) {
    if (v.served !== true || typeof v.name !== 'string') continue;
    const sub = isRecord(v.subresources) ? v.subresources : {};
    const hasStatus = isRecord(sub.status);
    const scale = isRecord(sub.scale) ? sub.scale : undefined;
    const subresources: SubresourceInfo[] = [];
    if (scale) subresources.push({ name: 'scale', verbs: ['get', 'patch', 'update'], kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } });
    if (hasStatus) subresources.push({ name: 'status', verbs: ['get', 'patch', 'update'] });
    const schema = isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as StructuralSchema) : undefined;
    const columns = (Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : []).filter(isRecord).map((c): CustomPrinterColumn => ({
      name: str(c.name, ''),
      type: str(c.type, 'string'),
      jsonPath: str(c.jsonPath, ''),
      ...(typeof c.format === 'string' ? { format: c.format } : {}),
      ...(typeof c.description === 'string' ? { description: c.description } : {}),
      ...(typeof c.priority === 'number' ? { priority: c.priority } : {}),
    }));
    const selectable = (Array.isArray(v.selectableFields) ? v.selectableFields : [])
      .filter(isRecord)
      .map((f) => str(f.jsonPath, '').replace(/^\./, ''))
      .filter(Boolean);
    const deprecated = v.deprecated === true;
    const warning = deprecated ? (typeof v.deprecationWarning === 'string' ? v.deprecationWarning : `${group}/${v.name} ${kind} is deprecated`) : undefined;
    out.push({
      group,
      version: v.name,
      resource: plural,
      singular: typeof names.singular === 'string' ? names.singular : kind.toLowerCase(),
      kind,
      listKind: typeof names.listKind === 'string' ? names.listKind : `${kind}List`,
      namespaced,
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      subresources,
      storage: { group, resource: plural, version: String(storage.name) },
      custom: {
        crdName,
        schema,
        printerColumns: columns,
        selectableFields: selectable,
        ...(warning ? { deprecationWarning: warning } : {}),
        ...(scale
          ? {
              scale: {
                specReplicasPath: str(scale.specReplicasPath, ''),
                statusReplicasPath: str(scale.statusReplicasPath, ''),
                ...(typeof scale.labelSelectorPath === 'string' ? { labelSelectorPath: scale.labelSelectorPath } : {}),
              },
            }
          : {}),
        strategy: customStrategy(schema, hasStatus, namespaced),
      },
    });
  }
  return out.sort((a, b) => compareVersions(a.version, b.version));
}
