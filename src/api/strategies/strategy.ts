// The Strategy contract (the hooks of kube-apiserver's pkg/registry/<group>/<resource>/strategy.go)
// and defineStrategy, which builds one from a resource's own rules plus the behaviour every
// resource shares: ObjectMeta validation, generation tracking, and status handling.

import type { FieldError } from '../field-errors.js';
import { type Obj, ensureObj, objAt, clone, copyFrom } from './object-access.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { nameIsDNSSubdomain, type NameValidator } from './name-validation.js';
import { jsonEqual } from '../../lang/index.js';

export interface Strategy {
  /** Applies defaults, as decoding does in kube-apiserver (SetDefaults_*). Mutates and returns obj. */
  default(obj: Record<string, unknown>): Record<string, unknown>;
  /** Before create: reset status where kube does, set generation 1, derive computed fields. */
  prepareForCreate(obj: Record<string, unknown>): void;
  /** Before update of the main resource: keep old status, bump metadata.generation when the spec changed. */
  prepareForUpdate(obj: Record<string, unknown>, old: Readonly<Record<string, unknown>>): void;
  /** Before update through /status: keep the old spec, take the new status. */
  prepareForStatusUpdate(obj: Record<string, unknown>, old: Readonly<Record<string, unknown>>): void;
  validate(obj: Readonly<Record<string, unknown>>): FieldError[];
  validateUpdate(obj: Readonly<Record<string, unknown>>, old: Readonly<Record<string, unknown>>): FieldError[];
  validateStatusUpdate(obj: Readonly<Record<string, unknown>>, old: Readonly<Record<string, unknown>>): FieldError[];
  /** Warnings kube returns for this object (deprecated fields and the like). */
  warnings(obj: Readonly<Record<string, unknown>>, old?: Readonly<Record<string, unknown>>): string[];
  /** Seconds a DELETE waits before the object goes (pods only in kube); 0 deletes at once. */
  gracePeriod(obj: Readonly<Record<string, unknown>>, requested?: number): number;
  /** Finalizers kept outside metadata.finalizers (a namespace's spec.finalizers): deletion waits for them too. */
  pendingFinalizers(obj: Readonly<Record<string, unknown>>): readonly string[];
  /** When a DELETE starts an object's deletion: what the object says about it (a namespace turns Terminating). */
  prepareForDelete(obj: Record<string, unknown>): void;
  /** Whether metadata.generation is maintained for this resource. */
  readonly tracksGeneration: boolean;
  /** Whether the resource has a /status subresource whose contents the main resource cannot write. */
  readonly hasStatusSubresource: boolean;
}

export interface StrategyRules {
  /** How metadata.name is checked; DNS-1123 subdomain unless said otherwise. */
  readonly nameFn?: NameValidator;
  /** With a /status subresource, status is reset on create and kept on main-resource updates. */
  readonly statusSubresource?: boolean;
  /** The status a new object starts with: kube's zero status struct, whose non-omitempty fields show as 0. Default `{}`. */
  readonly initialStatus?: (obj: Obj) => Obj | undefined;
  /** When set, generation starts at 1 and is bumped whenever this says the spec changed. */
  readonly specChanged?: (obj: Readonly<Obj>, old: Readonly<Obj>) => boolean;
  /** Fields a /status write may not change besides the spec: labels for most workload kinds. */
  readonly statusKeepsLabels?: boolean;
  readonly defaults?: (obj: Obj) => void;
  readonly prepareForCreate?: (obj: Obj) => void;
  readonly prepareForUpdate?: (obj: Obj, old: Readonly<Obj>) => void;
  readonly prepareForStatusUpdate?: (obj: Obj, old: Readonly<Obj>) => void;
  /** Resource-specific checks; ObjectMeta is validated by the caller. */
  readonly validate?: (obj: Readonly<Obj>) => FieldError[];
  /** Resource-specific update checks; defaults to `validate` on the new object. */
  readonly validateUpdate?: (obj: Readonly<Obj>, old: Readonly<Obj>) => FieldError[];
  readonly validateStatus?: (obj: Readonly<Obj>, old: Readonly<Obj>) => FieldError[];
  readonly warnings?: (obj: Readonly<Obj>, old?: Readonly<Obj>) => string[];
  readonly gracePeriod?: (obj: Readonly<Obj>, requested?: number) => number;
  readonly pendingFinalizers?: (obj: Readonly<Obj>) => readonly string[];
  readonly prepareForDelete?: (obj: Obj) => void;
}

/** Top-level fields other than the envelope and status: what a /status write must not change. */
function specFields(obj: Readonly<Obj>): string[] {
  return Object.keys(obj).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && k !== 'status');
}

/** Compares `spec`, the change kube bumps generation for in most resources. */
export function specDiffers(obj: Readonly<Obj>, old: Readonly<Obj>): boolean {
  return !jsonEqual(obj['spec'], old['spec']);
}

/** Compares everything but metadata, for resources without a spec (EndpointSlices and the like). */
export function contentDiffers(obj: Readonly<Obj>, old: Readonly<Obj>): boolean {
  const strip = (o: Readonly<Obj>): Obj => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  return !jsonEqual(strip(obj), strip(old));
}

function setGeneration(obj: Obj, generation: number | undefined): void {
  const meta = ensureObj(obj, 'metadata');
  if (generation === undefined) delete meta['generation'];
  else meta['generation'] = generation;
}

export function defineStrategy(rules: StrategyRules): Strategy {
  const nameFn = rules.nameFn ?? nameIsDNSSubdomain;
  const tracksGeneration = rules.specChanged !== undefined;
  const hasStatusSubresource = rules.statusSubresource === true;
  const validateSpec = rules.validate ?? (() => []);

  return {
    tracksGeneration,
    hasStatusSubresource,
    default(obj) {
      rules.defaults?.(obj);
      return obj;
    },
    prepareForCreate(obj) {
      if (hasStatusSubresource) {
        const status = rules.initialStatus ? rules.initialStatus(obj) : {};
        if (status === undefined) delete obj['status'];
        else obj['status'] = status;
      }
      if (tracksGeneration) setGeneration(obj, 1);
      rules.prepareForCreate?.(obj);
    },
    prepareForUpdate(obj, old) {
      if (hasStatusSubresource) copyFrom(obj, old, 'status');
      // Clients cannot set generation; the server derives it.
      const oldGeneration = objAt(old, 'metadata')?.['generation'];
      const base = typeof oldGeneration === 'number' ? oldGeneration : undefined;
      if (tracksGeneration && rules.specChanged?.(obj, old)) setGeneration(obj, (base ?? 0) + 1);
      else setGeneration(obj, base);
      rules.prepareForUpdate?.(obj, old);
    },
    prepareForStatusUpdate(obj, old) {
      for (const k of specFields(obj)) delete obj[k];
      for (const k of specFields(old)) obj[k] = clone(old[k]);
      const meta = ensureObj(obj, 'metadata');
      const oldMeta = objAt(old, 'metadata') ?? {};
      copyFrom(meta, oldMeta, 'generation');
      if (rules.statusKeepsLabels) copyFrom(meta, oldMeta, 'labels');
      rules.prepareForStatusUpdate?.(obj, old);
    },
    validate(obj) {
      return [...validateObjectMeta(obj, { nameFn }), ...validateSpec(obj)];
    },
    validateUpdate(obj, old) {
      const own = rules.validateUpdate ? rules.validateUpdate(obj, old) : validateSpec(obj);
      return [...validateObjectMetaUpdate(obj, old), ...own];
    },
    validateStatusUpdate(obj, old) {
      return [...validateObjectMetaUpdate(obj, old), ...(rules.validateStatus?.(obj, old) ?? [])];
    },
    warnings(obj, old) {
      return rules.warnings?.(obj, old) ?? [];
    },
    gracePeriod(obj, requested) {
      return rules.gracePeriod?.(obj, requested) ?? 0;
    },
    pendingFinalizers(obj) {
      return rules.pendingFinalizers?.(obj) ?? [];
    },
    prepareForDelete(obj) {
      rules.prepareForDelete?.(obj);
    },
  };
}
