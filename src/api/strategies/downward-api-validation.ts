// Downward API selectors (env fieldRef and resourceFieldRef, downwardAPI volume items), checked as
// kube's validateObjectFieldSelector and validateContainerResourceFieldSelector: only pod fields
// and container resources the kubelet can fill are accepted, worded as kube-apiserver words them.

import type { FieldError, FieldPath } from '../field-errors.js';
import { type Obj, strAt } from './object-access.js';
import { isQualifiedName } from './name-validation.js';

/** Field paths an env var may read (validEnvDownwardAPIFieldPathExpressions), sorted as kube lists them. */
export const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

/** Field paths a downwardAPI volume file may hold (validVolumeDownwardAPIFieldPathExpressions). */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

const containerResources = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const hugePagePrefixes = ['requests.hugepages-', 'limits.hugepages-'];

// The labels ConvertDownwardAPIFieldLabel knows in pod v1; `spec.host` is an old name of spec.nodeName.
const knownLabels = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** `metadata.labels['key']` → ['metadata.labels', 'key'], as fieldpath.SplitMaybeSubscriptedPath. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const at = inner.indexOf("['");
  if (at <= 0) return undefined;
  return [inner.slice(0, at), inner.slice(at + 2)];
}

/** ConvertDownwardAPIFieldLabel: the internal field path, or the error text. */
function convertFieldLabel(apiVersion: string, label: string): { path: string } | { error: string } {
  if (apiVersion !== 'v1') return { error: `unsupported pod version: ${apiVersion}` };
  const sub = splitSubscript(label);
  if (sub) {
    return sub[0] === 'metadata.annotations' || sub[0] === 'metadata.labels' ? { path: label } : { error: `field label does not support subscript: ${label}` };
  }
  if (label === 'spec.host') return { path: 'spec.nodeName' };
  return knownLabels.has(label) ? { path: label } : { error: `field label not supported: ${label}` };
}

/** An ObjectFieldSelector against the paths its use supports (ENV_FIELD_PATHS or VOLUME_FIELD_PATHS). */
export function validateObjectFieldSelector(selector: Readonly<Obj>, supported: readonly string[], path: FieldPath): FieldError[] {
  const apiVersion = strAt(selector, 'apiVersion');
  if (!apiVersion) return [path.child('apiVersion').required()];
  const fieldPath = strAt(selector, 'fieldPath');
  if (!fieldPath) return [path.child('fieldPath').required()];
  const converted = convertFieldLabel(apiVersion, fieldPath);
  if ('error' in converted) return [path.child('fieldPath').invalid(fieldPath, `error converting fieldPath: ${converted.error}`)];
  const sub = splitSubscript(converted.path);
  if (sub) {
    const [base, key] = sub;
    if (base === 'metadata.annotations') return isQualifiedName(key.toLowerCase()).map((m) => path.invalid(key, m));
    if (base === 'metadata.labels') return isQualifiedName(key).map((m) => path.invalid(key, m));
    return [path.invalid(base, 'does not support subscript')];
  }
  return supported.includes(converted.path) ? [] : [path.child('fieldPath').notSupported(converted.path, supported)];
}

/** A ResourceFieldSelector: a container resource the downward API can expose; volumes must name the container. */
export function validateResourceFieldSelector(selector: Readonly<Obj>, path: FieldPath, inVolume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (inVolume && !strAt(selector, 'containerName')) errs.push(path.child('containerName').required());
  const resource = strAt(selector, 'resource');
  if (!resource) errs.push(path.child('resource').required());
  else if (!containerResources.includes(resource) && !hugePagePrefixes.some((p) => resource.startsWith(p)))
    errs.push(path.child('resource').notSupported(resource, containerResources));
  return errs;
}
