// The apps kinds of extensions/v1beta1, apps/v1beta1 and apps/v1beta2, stored as apps/v1. The
// shapes match apps/v1 except Deployment's rollbackTo and extensions DaemonSet's
// templateGeneration, which apps/v1 keeps in annotations; each version keeps its old defaults.
import { own, rec, type Converter, type Obj } from './converter.js';

export type LegacyWorkloadVersion = 'extensions/v1beta1' | 'apps/v1beta1' | 'apps/v1beta2';

const rollbackToAnnotation = 'deprecated.deployment.rollback.to';
const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';
const maxInt32 = 2147483647;

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** Versions before apps/v1beta2 took a missing selector, and empty labels, from the pod template. */
function defaultSelectorFromTemplate(obj: Obj, spec: Obj): void {
  const labels = rec(rec(spec.template).metadata).labels;
  if (labels === undefined || labels === null || typeof labels !== 'object') return;
  if (spec.selector === undefined || spec.selector === null) spec.selector = { matchLabels: { ...(labels as Obj) } };
  const meta = own(obj, 'metadata');
  if (Object.keys(rec(meta.labels)).length === 0) meta.labels = { ...(labels as Obj) };
}

function defaultDeployment(version: LegacyWorkloadVersion, obj: Obj): void {
  const spec = own(obj, 'spec');
  if (version !== 'apps/v1beta2') defaultSelectorFromTemplate(obj, spec);
  setDefault(spec, 'replicas', 1);
  const strategy = own(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  const legacyExtensions = version === 'extensions/v1beta1';
  if (strategy.type === 'RollingUpdate' || (legacyExtensions && strategy.rollingUpdate)) {
    const rolling = own(strategy, 'rollingUpdate');
    // extensions surged and dropped one pod at a time; the apps versions use a quarter.
    setDefault(rolling, 'maxUnavailable', legacyExtensions ? 1 : '25%');
    setDefault(rolling, 'maxSurge', legacyExtensions ? 1 : '25%');
  }
  // In extensions both limits default to the largest int32, which means "none".
  const historyLimit = { 'extensions/v1beta1': maxInt32, 'apps/v1beta1': 2, 'apps/v1beta2': 10 }[version];
  setDefault(spec, 'revisionHistoryLimit', historyLimit);
  setDefault(spec, 'progressDeadlineSeconds', legacyExtensions ? maxInt32 : 600);
}

function defaultDaemonSet(version: LegacyWorkloadVersion, obj: Obj): void {
  const spec = own(obj, 'spec');
  // apps/v1beta2 defaults DaemonSets as apps/v1 does, which the storage strategy applies.
  if (version !== 'extensions/v1beta1') return;
  defaultSelectorFromTemplate(obj, spec);
  const update = own(spec, 'updateStrategy');
  setDefault(update, 'type', 'OnDelete');
  if (update.type === 'RollingUpdate') setDefault(own(update, 'rollingUpdate'), 'maxUnavailable', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
}

function defaultReplicaSet(version: LegacyWorkloadVersion, obj: Obj): void {
  const spec = own(obj, 'spec');
  if (version === 'extensions/v1beta1') defaultSelectorFromTemplate(obj, spec);
  setDefault(spec, 'replicas', 1);
}

function defaultStatefulSet(version: LegacyWorkloadVersion, obj: Obj): void {
  if (version !== 'apps/v1beta1') return;
  const spec = own(obj, 'spec');
  defaultSelectorFromTemplate(obj, spec);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  // apps/v1beta1 StatefulSets updated only when their pods were deleted.
  setDefault(own(spec, 'updateStrategy'), 'type', 'OnDelete');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
}

function setAnnotation(obj: Obj, key: string, value: string | undefined): void {
  const meta = own(obj, 'metadata');
  const annotations: Obj = { ...rec(meta.annotations) };
  if (value === undefined) delete annotations[key];
  else annotations[key] = value;
  if (Object.keys(annotations).length) meta.annotations = annotations;
  else delete meta.annotations;
}

/** Removes an annotation and returns its value, when the object has it. */
function takeAnnotation(obj: Obj, key: string): string | undefined {
  const value = rec(rec(obj.metadata).annotations)[key];
  if (typeof value !== 'string') return undefined;
  setAnnotation(obj, key, undefined);
  return value;
}

function deploymentToV1(obj: Obj): Obj {
  const out: Obj = { ...obj };
  const spec = own(out, 'spec');
  const rollbackTo = spec.rollbackTo;
  delete spec.rollbackTo;
  const revision = rec(rollbackTo).revision;
  if (rollbackTo !== undefined && rollbackTo !== null) setAnnotation(out, rollbackToAnnotation, typeof revision === 'number' ? String(revision) : '0');
  else setAnnotation(out, rollbackToAnnotation, undefined);
  return out;
}

function deploymentFromV1(obj: Readonly<Obj>): Obj {
  const out: Obj = { ...obj };
  const revision = takeAnnotation(out, rollbackToAnnotation);
  if (revision !== undefined && /^-?\d+$/.test(revision)) own(out, 'spec').rollbackTo = { revision: Number(revision) };
  return out;
}

function daemonSetToV1(obj: Obj): Obj {
  const out: Obj = { ...obj };
  const spec = own(out, 'spec');
  const generation = spec.templateGeneration;
  delete spec.templateGeneration;
  if (typeof generation === 'number' && generation > 0) setAnnotation(out, templateGenerationAnnotation, String(generation));
  return out;
}

function daemonSetFromV1(obj: Readonly<Obj>): Obj {
  const out: Obj = { ...obj };
  const generation = takeAnnotation(out, templateGenerationAnnotation);
  if (generation !== undefined && /^\d+$/.test(generation)) own(out, 'spec').templateGeneration = Number(generation);
  return out;
}

const sameShape = (obj: Readonly<Obj>): Obj => ({ ...obj });

/** The converter for one kind of a removed apps version. */
export function legacyWorkloadConverter(version: LegacyWorkloadVersion, kind: string): Converter {
  switch (kind) {
    case 'Deployment':
      // apps/v1beta2 has no rollbackTo: the annotation simply stays an annotation.
      if (version === 'apps/v1beta2') return { defaults: (o) => defaultDeployment(version, o), toStorage: sameShape, fromStorage: sameShape };
      return { defaults: (o) => defaultDeployment(version, o), toStorage: deploymentToV1, fromStorage: deploymentFromV1 };
    case 'DaemonSet':
      if (version !== 'extensions/v1beta1') return { defaults: (o) => defaultDaemonSet(version, o), toStorage: sameShape, fromStorage: sameShape };
      return { defaults: (o) => defaultDaemonSet(version, o), toStorage: daemonSetToV1, fromStorage: daemonSetFromV1 };
    case 'ReplicaSet':
      return { defaults: (o) => defaultReplicaSet(version, o), toStorage: sameShape, fromStorage: sameShape };
    case 'StatefulSet':
      return { defaults: (o) => defaultStatefulSet(version, o), toStorage: sameShape, fromStorage: sameShape };
    default:
      return { toStorage: sameShape, fromStorage: sameShape };
  }
}
