// The generic REST store of one resource (as kube's generic registry Store): get, list, watch,
// create, update, delete on top of the storage backend and the watch cache, applying the
// resource's strategy, admission and metadata rules. Objects are in the storage version here;
// handlers convert to and from the version a client speaks.
import { randomUUID } from 'node:crypto';
import {
  ApiError,
  type ResourceRef,
  FieldPath,
  type FieldError,
  type ResourceInfo,
  type LabelSelector,
  type FieldSelector,
  type Strategy,
  goJsonShape,
  typeNameForKind,
  kubeTime,
} from '../../api/index.js';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError, type KeyValue, type StorageBackend } from '../../storage/backend.js';
import { namespacePrefix, objectKey } from '../storage-keys.js';
import { decodeStored, type CachedObject, type ObjectMap, type ResourceCache, type WatchCache } from '../watch-cache.js';
import type { AdmissionPlugin, Undo } from './admission.js';
import type { RequestContext } from './context.js';
import { recordManagedFields } from './managed-fields.js';
import { generateName, metaOf, readMeta } from './object-meta.js';
import { checkNameParameter } from './name-parameter.js';
import { errorMessage, jsonEqual } from '../../lang/index.js';

export interface ListOptions {
  readonly labelSelector?: LabelSelector | undefined;
  readonly fieldSelector?: FieldSelector | undefined;
  readonly limit?: number | undefined;
  readonly continueToken?: string | undefined;
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: string | undefined;
}

export interface ListResult {
  readonly items: CachedObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
}

export interface DeleteResult {
  readonly object: ObjectMap;
  /** False when the object still exists (graceful deletion or finalizers pending). */
  readonly deleted: boolean;
}

/** Transforms the current object into the desired one; throws ApiErrors for bad input. */
export type UpdateFunction = (current: ObjectMap | undefined) => Promise<ObjectMap> | ObjectMap;

export interface UpdateOptions {
  /** Which part of the object the write may change. */
  readonly subresource?: 'status' | 'finalize' | 'binding' | undefined;
  /** Create the object when it does not exist (PUT on resources that allow it, server-side apply). */
  readonly allowCreate?: boolean;
}

export interface StoreDeps {
  readonly backend: StorageBackend;
  readonly cache: WatchCache;
  readonly strategy: Strategy;
  readonly admission: readonly AdmissionPlugin[];
}

/** Resources whose DELETE answers with the object rather than a Status, as kube-apiserver does. */
const returnsDeletedObject = new Set(['pods', 'services', 'serviceaccounts', 'storageclasses', 'namespaces']);
const maxUpdateRetries = 16;
/** The last second a metav1.Time can hold (Go's JSON form stops at year 9999). */
const latestKubeTime = Date.UTC(9999, 11, 31, 23, 59, 59);

export class ResourceStore {
  private readonly resourceCache: ResourceCache;

  constructor(
    readonly info: ResourceInfo,
    private readonly deps: StoreDeps,
  ) {
    this.resourceCache = deps.cache.resource(info.storage);
  }

  ref(name: string): ResourceRef {
    return { group: this.info.group, resource: this.info.resource, name };
  }

  key(namespace: string, name: string): string {
    checkNameParameter('Name', name);
    checkNameParameter('Namespace', namespace);
    return objectKey(this.info.storage, this.info.namespaced ? namespace : '', name);
  }

  get strategy(): Strategy {
    return this.deps.strategy;
  }

  async get(namespace: string, name: string, resourceVersion?: string): Promise<ObjectMap> {
    if (resourceVersion === '0') {
      const cached = this.resourceCache.get(this.key(namespace, name));
      if (!cached) throw ApiError.notFound(this.ref(name));
      return cached.toObject();
    }
    const kv = await this.deps.backend.get(this.key(namespace, name));
    if (!kv) throw ApiError.notFound(this.ref(name));
    return decodeStored(kv);
  }

  /** LIST with kube-apiserver's resourceVersion semantics, from the cache unless paging or an exact revision needs the store. */
  async list(namespace: string, opts: ListOptions): Promise<ListResult> {
    checkNameParameter('Namespace', namespace);
    const prefix = namespacePrefix(this.info.storage, this.info.namespaced ? namespace : '');
    const match = (o: CachedObject) =>
      (!opts.labelSelector || opts.labelSelector.matches(o.labels())) && (!opts.fieldSelector || opts.fieldSelector.matchesFieldSet(o.fields));
    const rv = opts.resourceVersion;
    const rvMatch = opts.resourceVersionMatch;
    const optionErrors = validateListOptions(rv, rvMatch, opts.continueToken);
    if (optionErrors.length) throw ApiError.invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', optionErrors);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;

    if (opts.continueToken) {
      const token = decodeContinue(opts.continueToken, prefix);
      if (rv && rv !== '0') throw ApiError.badRequest('specifying resource version is not allowed when using continue');
      const current = await this.deps.backend.currentRevision();
      // A token names a revision this storage has had; a later one was never handed out.
      if (token.rv > current)
        throw ApiError.badRequest(`invalid continue token: continue key is not valid: revision ${token.rv} is newer than the current ${current}`);
      return this.listFromStore(prefix, token.rv < 0 ? current : token.rv, token.start, limit, match);
    }
    if (rv && rvMatch === 'Exact') return this.listFromStore(prefix, await this.existingRevision(parseRevision(rv)), '', limit, match);
    if (limit && rv !== '0') {
      const current = await this.deps.backend.currentRevision();
      return this.listFromStore(prefix, rv ? await this.existingRevision(Math.max(parseRevision(rv), current)) : current, '', limit, match);
    }
    // Served from the cache: RV unset is a consistent read, RV=0 is any, RV=N is not older than N.
    let revision: number;
    if (!rv) revision = await this.freshRevision();
    else if (rv === '0') revision = this.deps.cache.revision;
    else revision = await this.waitForRevision(parseRevision(rv));
    const items = this.resourceCache.list(prefix).filter(match);
    return { items, resourceVersion: String(revision) };
  }

  get cacheRevision(): number {
    return this.deps.cache.revision;
  }

  freshCacheRevision(): Promise<number> {
    return this.freshRevision();
  }

  waitForCacheRevision(revision: number): Promise<number> {
    return this.waitForRevision(revision);
  }

  private async freshRevision(): Promise<number> {
    try {
      return await this.deps.cache.waitUntilFresh();
    } catch (err) {
      throw ApiError.timeout(`Too large resource version: ${String(err)}`, 1);
    }
  }

  /** A revision storage can be read at: a later one is waited for, as kube does, then 504 Too large resource version. */
  private async existingRevision(revision: number): Promise<number> {
    if (revision > (await this.deps.backend.currentRevision())) await this.waitForRevision(revision);
    return revision;
  }

  private async waitForRevision(revision: number): Promise<number> {
    try {
      await this.deps.cache.waitForRevision(revision, 3000);
    } catch {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${revision}, current: ${this.deps.cache.revision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    return this.deps.cache.revision;
  }

  private async listFromStore(prefix: string, revision: number, startAfter: string, limit: number, match: (o: CachedObject) => boolean): Promise<ListResult> {
    const items: CachedObject[] = [];
    let after = startAfter;
    let remaining = 0;
    let lastKey = '';
    let more = false;
    try {
      for (;;) {
        const page = await this.deps.backend.list(prefix, {
          revision,
          ...(limit ? { limit: Math.max(limit, 100) } : {}),
          ...(after ? { startAfter: after } : {}),
        });
        let i = 0;
        for (; i < page.items.length; i++) {
          const kv = page.items[i]!;
          lastKey = kv.key;
          const obj = this.resourceCache.decode(kv);
          if (obj && match(obj)) {
            items.push(obj);
            if (limit && items.length >= limit) break;
          }
        }
        const leftInPage = page.items.length - (i < page.items.length ? i + 1 : i);
        remaining = page.remaining + leftInPage;
        if (limit && items.length >= limit) {
          more = remaining > 0;
          break;
        }
        if (!page.remaining || !page.items.length) break;
        after = page.items[page.items.length - 1]!.key;
      }
    } catch (err) {
      if (err instanceof CompactedError) {
        throw ApiError.expired(
          `The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.`,
        );
      }
      throw err;
    }
    const result: { items: CachedObject[]; resourceVersion: string; continueToken?: string; remainingItemCount?: number } = {
      items,
      resourceVersion: String(revision),
    };
    if (more) {
      result.continueToken = encodeContinue(revision, lastKey);
      result.remainingItemCount = remaining;
    }
    return result;
  }

  /** Current objects and the window of recent events, for watch handlers. */
  get cache(): ResourceCache {
    return this.resourceCache;
  }

  async create(ctx: RequestContext, namespace: string, input: ObjectMap): Promise<ObjectMap> {
    const obj = input;
    const meta = metaOf(obj);
    if (meta.resourceVersion) throw ApiError.badRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    const name = meta.name ?? '';
    if (this.info.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = kubeTime();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.generation;
    this.deps.strategy.prepareForCreate(obj);
    const errors = this.deps.strategy.validate(obj);
    if (errors.length) throw ApiError.invalid({ group: this.info.group, kind: this.info.kind }, name, errors);
    for (const w of this.deps.strategy.warnings(obj)) ctx.warnings.push(w);
    const undos = await this.runAdmission(ctx, (p) => p.create?.(ctx, obj, this.info));
    try {
      recordManagedFields(ctx, obj, undefined);
      this.shape(obj);
      if (ctx.dryRun) {
        await runUndos(undos);
        return obj;
      }
      const text = new StoredText(obj);
      const kv = await this.deps.backend.create(this.key(namespace, name), text.stored());
      return this.written(obj, kv, text);
    } catch (err) {
      await runUndos(undos);
      if (err instanceof KeyExistsError) throw ApiError.alreadyExists(this.ref(name));
      throw err;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency, as kube's GuaranteedUpdate: `apply` gets the
   * current object and returns the desired one. A desired object carrying a resourceVersion is a
   * precondition; without one the update is retried on conflicts.
   */
  async update(
    ctx: RequestContext,
    namespace: string,
    name: string,
    apply: UpdateFunction,
    opts: UpdateOptions = {},
  ): Promise<{ object: ObjectMap; created: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.deps.backend.get(key);
      if (!kv) {
        if (!opts.allowCreate) throw ApiError.notFound(this.ref(name));
        const desired = await apply(undefined);
        const created = await this.create(ctx, namespace, desired);
        return { object: created, created: true };
      }
      const current = decodeStored(kv);
      // The function gets its own copy: a second parse costs less than structuredClone.
      const desired = await apply(decodeStored(kv));
      const meta = metaOf(desired);
      const requestedRv = meta.resourceVersion;
      if (requestedRv && requestedRv !== String(kv.modRevision)) throw this.conflict(name);
      const currentMeta = readMeta(current);
      if (meta.uid && meta.uid !== currentMeta.uid) {
        throw ApiError.conflict(this.ref(name), `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${currentMeta.uid ?? ''}`);
      }
      meta.name = name;
      if (this.info.namespaced) meta.namespace = namespace;
      else delete meta.namespace;
      meta.uid = currentMeta.uid!;
      meta.creationTimestamp = currentMeta.creationTimestamp ?? null;
      if (currentMeta.deletionTimestamp) meta.deletionTimestamp = currentMeta.deletionTimestamp;
      else delete meta.deletionTimestamp;
      if (currentMeta.deletionGracePeriodSeconds != null) meta.deletionGracePeriodSeconds = currentMeta.deletionGracePeriodSeconds;
      else delete meta.deletionGracePeriodSeconds;
      if (currentMeta.generation !== undefined) meta.generation = currentMeta.generation;
      if (opts.subresource === 'status') {
        this.deps.strategy.prepareForStatusUpdate(desired, current);
      } else if (opts.subresource === 'finalize' || opts.subresource === 'binding') {
        // namespaces/finalize changes spec.finalizers only, pods/binding spec.nodeName of an unbound pod (which
        // pod update validation forbids); the handler built the object from the current one.
      } else {
        this.deps.strategy.prepareForUpdate(desired, current);
      }
      const errors =
        opts.subresource === 'status'
          ? this.deps.strategy.validateStatusUpdate(desired, current)
          : opts.subresource === 'binding'
            ? []
            : this.deps.strategy.validateUpdate(desired, current);
      if (errors.length) throw ApiError.invalid({ group: this.info.group, kind: this.info.kind }, name, errors);
      for (const w of this.deps.strategy.warnings(desired, current)) ctx.warnings.push(w);
      meta.resourceVersion = String(kv.modRevision);
      this.shape(desired);
      if (sameObject(desired, current)) return { object: current, created: false };
      const undos = await this.runAdmission(ctx, (p) => p.update?.(ctx, desired, current, this.info));
      // pods/binding writes below the field manager in kube-apiserver: no managedFields entry.
      if (opts.subresource !== 'binding') recordManagedFields(ctx, desired, current, opts.subresource);
      this.shape(desired);
      if (ctx.dryRun) {
        await runUndos(undos);
        return { object: desired, created: false };
      }
      try {
        // Removing the last finalizer of an object being deleted completes its deletion.
        if (meta.deletionTimestamp && !meta.finalizers?.length && !this.deps.strategy.pendingFinalizers(desired).length) {
          const deleted = await this.deps.backend.delete(key, kv.modRevision);
          await this.afterDelete(deleted);
          return { object: decodeStored(deleted), created: false };
        }
        const text = new StoredText(desired);
        const written = await this.deps.backend.update(key, text.stored(), kv.modRevision);
        return { object: this.written(desired, written, text), created: false };
      } catch (err) {
        await runUndos(undos);
        if (err instanceof ConflictError || err instanceof KeyNotFoundError) {
          if (requestedRv) throw this.conflict(name);
          if (attempt < maxUpdateRetries) continue;
          throw this.conflict(name);
        }
        throw err;
      }
    }
  }

  /**
   * The object just written, as a read would return it: the shaped object that was stored, with the
   * revision of the write as its resourceVersion (parsing the stored text back would give the same
   * object at the cost of a parse). The watch cache takes it and its text, for the write's event.
   */
  private written(obj: ObjectMap, kv: KeyValue, text: StoredText): ObjectMap {
    const rv = String(kv.modRevision);
    (obj.metadata as Record<string, unknown>).resourceVersion = rv;
    this.resourceCache.offerWritten(kv.key, kv.modRevision, obj, text.withResourceVersion(rv));
    return obj;
  }

  /** The shape Go's JSON encoding gives the stored type, so objects read back as kube-apiserver's do. */
  private shape(obj: ObjectMap): void {
    const typeName = typeNameForKind(this.info.storage.group, this.info.storage.version, this.info.kind);
    if (typeName) goJsonShape(obj, typeName);
  }

  private conflict(name: string): ApiError {
    return ApiError.conflict(this.ref(name), 'the object has been modified; please apply your changes to the latest version and try again');
  }

  async delete(ctx: RequestContext, namespace: string, name: string, options: DeleteOptions): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.deps.backend.get(key);
      if (!kv) throw ApiError.notFound(this.ref(name));
      const current = decodeStored(kv);
      const meta = readMeta(current);
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw ApiError.conflict(this.ref(name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw ApiError.conflict(
          this.ref(name),
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
        );
      }
      const desired = decodeStored(kv);
      const dmeta = metaOf(desired);
      const finalizers = new Set(dmeta.finalizers ?? []);
      const policy =
        options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : options.orphanDependents === false ? 'Background' : undefined);
      if (policy === 'Orphan') {
        finalizers.add('orphan');
        finalizers.delete('foregroundDeletion');
      } else if (policy === 'Foreground') {
        finalizers.add('foregroundDeletion');
        finalizers.delete('orphan');
      }
      const grace = this.deps.strategy.gracePeriod(current, options.gracePeriodSeconds);
      this.deps.strategy.prepareForDelete(desired);
      const pending = finalizers.size > 0 || grace > 0 || this.deps.strategy.pendingFinalizers(desired).length > 0;
      if (pending) {
        const sameFinalizers = finalizers.size === (meta.finalizers?.length ?? 0) && (meta.finalizers ?? []).every((f) => finalizers.has(f));
        if (meta.deletionTimestamp && sameFinalizers && grace >= (meta.deletionGracePeriodSeconds ?? 0)) {
          // Already being deleted and nothing shortens it: report the object as it is.
          return { object: current, deleted: false };
        }
        dmeta.finalizers = [...finalizers];
        if (!dmeta.finalizers.length) delete dmeta.finalizers;
        const now = Date.now();
        // A deadline past what a Time can say (year 9999) is no deadline anyone will see: cap it there.
        const graceSeconds = Math.min(grace, Math.floor((latestKubeTime - now) / 1000));
        const newDeadline = new Date(Math.min(now + grace * 1000, latestKubeTime));
        if (!dmeta.deletionTimestamp || new Date(dmeta.deletionTimestamp) > newDeadline) {
          dmeta.deletionTimestamp = kubeTime(newDeadline);
          dmeta.deletionGracePeriodSeconds = graceSeconds;
        }
        if (ctx.dryRun) return { object: desired, deleted: false };
        try {
          const text = new StoredText(desired);
          const written = await this.deps.backend.update(key, text.stored(), kv.modRevision);
          return { object: this.written(desired, written, text), deleted: false };
        } catch (err) {
          if (err instanceof ConflictError && attempt < maxUpdateRetries && !pre?.resourceVersion) continue;
          throw err;
        }
      }
      if (ctx.dryRun) return { object: current, deleted: true };
      try {
        const deleted = await this.deps.backend.delete(key, kv.modRevision);
        await this.afterDelete(deleted);
        return { object: decodeStored(deleted), deleted: true };
      } catch (err) {
        if ((err instanceof ConflictError || err instanceof KeyNotFoundError) && attempt < maxUpdateRetries) continue;
        throw err;
      }
    }
  }

  /** Whether DELETE answers with the object (true) or with a Success Status. */
  get returnsDeletedObject(): boolean {
    return returnsDeletedObject.has(this.info.storage.resource);
  }

  private async afterDelete(kv: KeyValue): Promise<void> {
    const obj = decodeStored(kv);
    for (const p of this.deps.admission) if (p.handles(this.info) && p.deleted) await p.deleted(obj);
  }

  private async runAdmission(ctx: RequestContext, step: (p: AdmissionPlugin) => Promise<Undo | undefined> | undefined): Promise<Undo[]> {
    const undos: Undo[] = [];
    try {
      for (const p of this.deps.admission) {
        if (!p.handles(this.info)) continue;
        const undo = await step(p);
        if (undo) undos.push(undo);
      }
    } catch (err) {
      await runUndos(undos);
      throw err;
    }
    return undos;
  }
}

async function runUndos(undos: readonly Undo[]): Promise<void> {
  for (const u of [...undos].reverse()) await u().catch(() => undefined);
}

/**
 * The stored form of an object (resourceVersion is never stored: it is the revision of the write)
 * and the text reads return once the revision is known, from one stringify: the metadata is
 * written on its own so the resourceVersion can be added at its end, where a read that parses
 * the stored text and sets it would put it. Leaves resourceVersion last in the object's metadata.
 */
class StoredText {
  private readonly head: string;
  private readonly meta: string;
  private readonly tail: string;

  constructor(obj: ObjectMap) {
    const meta = obj.metadata as Record<string, unknown> | undefined;
    const rv = meta?.resourceVersion;
    if (meta && rv !== undefined) delete meta.resourceVersion;
    let head = '{';
    let metaText = '';
    let tail = '';
    let first = true;
    for (const k of Object.keys(obj)) {
      const isMeta = k === 'metadata' && meta !== null && typeof meta === 'object';
      const v = JSON.stringify(isMeta ? meta : obj[k]);
      if (v === undefined) continue;
      const part = `${first ? '' : ','}${JSON.stringify(k)}:`;
      first = false;
      if (isMeta) {
        head += part;
        metaText = v;
      } else if (metaText) tail += part + v;
      else head += part + v;
    }
    if (meta && rv !== undefined) meta.resourceVersion = rv;
    this.head = head;
    this.meta = metaText;
    this.tail = `${tail}}`;
  }

  stored(): string {
    return this.head + this.meta + this.tail;
  }

  /** The text with metadata.resourceVersion set (an object without metadata is left as stored). */
  withResourceVersion(rv: string): string {
    if (!this.meta.startsWith('{')) return this.stored();
    const field = `"resourceVersion":${JSON.stringify(rv)}}`;
    return this.head + (this.meta === '{}' ? `{${field}` : `${this.meta.slice(0, -1)},${field}`) + this.tail;
  }
}

function sameObject(a: ObjectMap, b: ObjectMap): boolean {
  // managedFields count when the desired object carries them (server-side apply, a client rewriting them).
  const keepManaged = Array.isArray((a.metadata as Record<string, unknown>).managedFields);
  const strip = (o: ObjectMap) => {
    const m = { ...(o.metadata as Record<string, unknown>) };
    if (!keepManaged) delete m.managedFields;
    delete m.resourceVersion;
    return { ...o, metadata: m };
  };
  return jsonEqual(strip(a), strip(b));
}

function parseRevision(rv: string): number {
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw ApiError.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return n;
}

/** ListOptions checks in kube-apiserver's order; every failing one is reported, as one Invalid status. */
function validateListOptions(rv: string | undefined, rvMatch: string | undefined, continueToken: string | undefined): FieldError[] {
  if (!rvMatch) return [];
  const path = FieldPath.root('resourceVersionMatch');
  const errors: FieldError[] = [];
  if (!rv) errors.push(path.forbidden('resourceVersionMatch is forbidden unless resourceVersion is provided'));
  if (continueToken) errors.push(path.forbidden('resourceVersionMatch is forbidden when continue is provided'));
  if (rvMatch !== 'Exact' && rvMatch !== 'NotOlderThan') errors.push(path.notSupported(rvMatch, ['Exact', 'NotOlderThan', '']));
  if (rvMatch === 'Exact' && rv === '0') errors.push(path.forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  return errors;
}

/** Continue tokens carry the list revision and the last key, as kube-apiserver's do. */
function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');
}

/**
 * Reads a continue token as kube's storage.DecodeContinue does, and refuses what it refuses with its
 * 400 and messages: not unpadded base64url, not JSON, an unknown version, a revision that is 0 or no
 * int64, an empty start key, or one that is not a clean path (no `.`, `..` or empty segments). The
 * start key must also lie under the listed prefix. A negative revision means "the latest".
 */
function decodeContinue(token: string, prefix: string): { rv: number; start: string } {
  const invalid = (detail: string) => ApiError.badRequest(`invalid continue token: continue key is not valid${detail ? `: ${detail}` : ''}`);
  const badChar = /[^A-Za-z0-9_-]/.exec(token);
  if (badChar || token.length % 4 === 1) throw invalid(`illegal base64 data at input byte ${badChar ? badChar.index : token.length - 1}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw invalid(errorMessage(err));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw invalid('json: cannot unmarshal into Go value of type storage.continueToken');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== 'meta.k8s.io/v1') throw invalid(`server does not recognize this encoded version ${typeof v === 'string' ? v : ''}`);
  if (rv !== undefined && !(typeof rv === 'number' && Number.isSafeInteger(rv)))
    throw invalid(`json: cannot unmarshal ${typeof rv === 'number' ? `number ${rv}` : typeof rv} into Go struct field continueToken.rv of type int64`);
  if (!rv) throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (start !== undefined && typeof start !== 'string')
    throw invalid(`json: cannot unmarshal ${typeof start} into Go struct field continueToken.start of type string`);
  if (!start) throw invalid('encoded start key empty (version meta.k8s.io/v1)');
  const key = start.endsWith('\u0000') ? start.slice(0, -1) : start;
  if (!isCleanPath(key) || !key.startsWith(prefix)) throw invalid(JSON.stringify(start));
  return { rv, start: key };
}

/** Whether Go's path.Clean would leave this absolute path as it is. */
function isCleanPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  if (path === '/') return true;
  return path
    .slice(1)
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
