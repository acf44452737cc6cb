// Server-side apply of one configuration to one object, as kube-apiserver's field manager does
// it: merge by schema, conflicts with other managers (409 unless forced), removal of fields the
// applier dropped and nobody else owns, and the managedFields entries that record who owns what.
import { ApiError, type StatusCause } from '../../api/index.js';
import { FieldSet, pathString } from './field-set.js';
import type { ApplySchema } from './schema.js';
import { changedPaths, fieldSetOf, mergeValue, removeFields } from './walk.js';
import { jsonEqual } from '../../lang/index.js';

type JsonObject = Record<string, unknown>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface ApplyInput {
  /** The live object in the request's version, or undefined to create it. */
  live: Readonly<JsonObject> | undefined;
  /** The applied configuration, decoded. */
  config: JsonObject;
  manager: string;
  force: boolean;
  /** apiVersion of the request, recorded in the entry. */
  apiVersion: string;
  subresource?: string;
  schema: ApplySchema;
  /** Top-level fields the request may not own (status on the main resource, everything but status on /status). */
  ownable: (topLevelField: string) => boolean;
  now: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** kubectl's manager names: its server-side applies upgrade and maintain what client-side apply recorded. */
const KUBECTL_SSA = 'kubectl';

/** Metadata the server sets or that names the object: no manager owns it, in apply or update. */
export const unownedMetadata: ReadonlySet<string> = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'namespace',
  'name',
]);

interface Owner {
  entry: ManagedFieldsEntry;
  set: FieldSet;
  id: string;
}

/** The object after the apply, with metadata.managedFields updated. Throws 409 on conflicts. */
export function serverSideApply(input: ApplyInput): JsonObject {
  const config = structuredClone(input.config);
  const configMeta = config.metadata as JsonObject | undefined;
  if (configMeta) delete configMeta.managedFields;
  const root = input.schema.root();
  const live = input.live ? (structuredClone(input.live) as JsonObject) : {};
  const liveMeta = live.metadata as JsonObject | undefined;
  const stored = Array.isArray(liveMeta?.managedFields) ? (liveMeta.managedFields as ManagedFieldsEntry[]) : [];
  if (liveMeta) delete liveMeta.managedFields;

  const configSet = ownedFields(fieldSetOf(config, root), input.ownable);
  const selfId = managerId({ manager: input.manager, operation: 'Apply', apiVersion: input.apiVersion, ...sub(input.subresource) });
  let previous = new FieldSet();
  let previousTime: string | undefined;
  const others: Owner[] = [];
  for (const entry of stored) {
    const set = FieldSet.fromFieldsV1(entry.fieldsV1);
    const id = managerId(entry);
    if (id === selfId) {
      previous = previous.union(set);
      previousTime = entry.time;
    } else others.push({ entry, set, id });
  }

  let merged = mergeValue(live, config, root) as JsonObject;
  const conflicts = findConflicts(others, configSet, live, merged, root);
  if (conflicts.length && !input.force && !coveredByLastApplied(input, live, conflicts, root)) throw conflictError(conflicts);
  for (const c of conflicts) {
    const owner = others.find((o) => o.id === c.id)!;
    owner.set = owner.set.difference(c.set);
  }

  let ownedByOthers = new FieldSet();
  for (const o of others) ownedByOthers = ownedByOthers.union(o.set);
  const dropped = previous.difference(configSet).difference(ownedByOthers);
  if (!dropped.empty()) merged = (removeFields(merged, dropped, ownedByOthers.union(configSet), root) as JsonObject | undefined) ?? {};

  const entries: ManagedFieldsEntry[] = others.filter((o) => !o.set.empty()).map((o) => ({ ...o.entry, fieldsV1: o.set.toFieldsV1() }));
  // An apply that changes nothing keeps its entry's time, so re-applying the same configuration writes nothing.
  const time = previousTime !== undefined && input.live && jsonEqual(withoutManagedFields(merged), live) ? previousTime : input.now;
  entries.push({
    manager: input.manager,
    operation: 'Apply',
    apiVersion: input.apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: configSet.toFieldsV1(),
    ...sub(input.subresource),
  });
  const meta = (merged.metadata ??= {}) as JsonObject;
  meta.managedFields = sortEntries(entries);
  if (input.manager === KUBECTL_SSA) syncLastApplied(meta, input.config);
  return merged;
}

function withoutManagedFields(obj: JsonObject): JsonObject {
  const meta = obj.metadata as JsonObject | undefined;
  if (!meta || !('managedFields' in meta)) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** The set without the fields no manager owns (identity, bookkeeping) and those the request may not own. */
function ownedFields(set: FieldSet, ownable: (field: string) => boolean): FieldSet {
  set.deleteChild('f:apiVersion');
  set.deleteChild('f:kind');
  for (const e of [...set.children.keys()]) if (!ownable(e.slice(2))) set.deleteChild(e);
  const meta = set.children.get('f:metadata');
  if (meta) {
    for (const name of unownedMetadata) meta.deleteChild(`f:${name}`);
    if (meta.empty()) set.deleteChild('f:metadata');
  }
  return set;
}

interface Conflict {
  id: string;
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function findConflicts(others: readonly Owner[], configSet: FieldSet, live: JsonObject, merged: JsonObject, root: ReturnType<ApplySchema['root']>): Conflict[] {
  const out: Conflict[] = [];
  for (const o of others) {
    const shared = o.set.intersection(configSet);
    if (shared.empty()) continue;
    const changed = changedPaths(shared, live, merged, root);
    if (!changed.empty()) out.push({ id: o.id, entry: o.entry, set: changed });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * kubectl's first server-side apply over objects it applied client-side: conflicts on fields the
 * last-applied configuration held are the same intent, so the apply goes through as if forced.
 */
function coveredByLastApplied(input: ApplyInput, live: JsonObject, conflicts: readonly Conflict[], root: ReturnType<ApplySchema['root']>): boolean {
  if (input.manager !== KUBECTL_SSA) return false;
  const text = ((live.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined)?.[LAST_APPLIED];
  if (typeof text !== 'string') return false;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return false;
  }
  const lastSet = fieldSetOf(lastApplied, root);
  return conflicts.every((c) => c.set.difference(lastSet).empty());
}

/** kubectl's server-side apply keeps an existing last-applied annotation in step, so client-side apply can follow. */
function syncLastApplied(meta: JsonObject, config: JsonObject): void {
  const annotations = meta.annotations as JsonObject | undefined;
  if (typeof annotations?.[LAST_APPLIED] !== 'string') return;
  const copy = structuredClone(config);
  const copyMeta = copy.metadata as JsonObject | undefined;
  const copyAnnotations = copyMeta?.annotations as JsonObject | undefined;
  if (copyAnnotations) delete copyAnnotations[LAST_APPLIED];
  // Written as kube's JSON encoder writes it: sorted keys and a closing newline.
  annotations[LAST_APPLIED] = `${sortedJson(copy)}\n`;
}

/** JSON with object keys sorted, as Go marshals maps. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as JsonObject;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sub(subresource: string | undefined): { subresource?: string } {
  return subresource ? { subresource } : {};
}

/** A manager's identity: appliers are one manager whatever version they apply in; updaters are per version. */
function managerId(e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify({
    manager: e.manager,
    operation: e.operation,
    ...(e.operation === 'Apply' ? {} : { apiVersion: e.apiVersion }),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  });
}

function managerLabel(e: ManagedFieldsEntry): string {
  const name = JSON.stringify(e.manager);
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

function conflictError(conflicts: readonly Conflict[]): ApiError {
  const causes: StatusCause[] = [];
  const lines: string[] = [];
  for (const c of conflicts) {
    const label = managerLabel(c.entry);
    lines.push(`conflicts with ${label}:`);
    for (const p of c.set.paths()) {
      const field = pathString(p);
      causes.push({ reason: 'FieldManagerConflict', message: `conflict with ${label}`, field });
      lines.push(`- ${field}`);
    }
  }
  const message =
    causes.length === 1
      ? `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`
      : `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  return new ApiError(409, 'Conflict', message, { causes });
}

/** kube's order: Apply entries before Update ones, then by time (seconds), manager, apiVersion, subresource. */
export function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const seconds = (e: ManagedFieldsEntry) => (e.time ? Math.floor(Date.parse(e.time) / 1000) : 0);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p) - seconds(q) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
}
