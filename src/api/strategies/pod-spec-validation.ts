// PodSpec validation (containers, ports, env, volumes and mounts, resources, probes, policies),
// worded as kube's ValidatePodSpec so kubectl shows the familiar messages. Pods and every
// pod template validate through here.

import type { FieldPath } from '../field-errors.js';
import { type FieldError } from '../field-errors.js';
import { type Obj, objAt, objItems, arrAt, strAt, numAt, stringMapAt } from './object-access.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, isEnvVarName, isConfigMapKey, inclusiveRangeError } from './name-validation.js';
import { validateLabels, validateAnnotations } from './object-meta.js';
import { volumeSourcesOf } from './pod-spec-defaults.js';
import { validateAffinity, validateTopologySpread, validateSecurityContext, validateDnsConfig, validateOsAndGates } from './pod-constraints-validation.js';
import { quantityValue, quantityText, QUANTITY_FORMAT_WRONG } from '../resource-quantity.js';
import { ENV_FIELD_PATHS, VOLUME_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from './downward-api-validation.js';
import { isRecord } from '../../lang/index.js';

export interface PodSpecOptions {
  /** Restart policies allowed (templates of Deployments allow only Always, Jobs OnFailure/Never). */
  readonly restartPolicies?: readonly string[];
  /** Volumes the owner adds to each pod (a StatefulSet's volumeClaimTemplates) that mounts may name. */
  readonly ownerVolumes?: readonly string[];
}

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const protocols = ['SCTP', 'TCP', 'UDP'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const tolerationOperators = ['Equal', 'Exists'];
const taintEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const MAX_INT32 = 2147483647;

function dnsLabel(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((m) => path.invalid(value, m));
}

function dnsSubdomain(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => path.invalid(value, m));
}

function validateNonNegative(value: unknown, path: FieldPath): FieldError[] {
  return typeof value === 'number' && value < 0 ? [path.invalid(value, 'must be greater than or equal to 0')] : [];
}

/** Validates volumes and returns the names defined, which mounts must refer to. */
function validateVolumes(spec: Readonly<Obj>, path: FieldPath, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  for (const [vol, i] of objItems(spec, 'volumes')) {
    const p = path.index(i);
    const name = strAt(vol, 'name');
    if (!name) errs.push(p.child('name').required());
    else errs.push(...dnsLabel(name, p.child('name')));
    if (name && names.has(name)) errs.push(p.child('name').duplicate(name));
    if (name) names.add(name);
    const sources = volumeSourcesOf(vol);
    if (sources.length === 0) errs.push(p.required('must specify a volume type'));
    else if (sources.length > 1) errs.push(p.child(sources[1] ?? '').forbidden('may not specify more than 1 volume type'));
    for (const k of ['secret', 'configMap'] as const) {
      const src = objAt(vol, k);
      if (!src) continue;
      const mode = numAt(src, 'defaultMode');
      if (mode !== undefined && (mode < 0 || mode > 0o777))
        errs.push(p.child(k).child('defaultMode').invalid(mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
      const refName = k === 'secret' ? strAt(src, 'secretName') : strAt(src, 'name');
      if (k === 'secret' && !refName) errs.push(p.child(k).child('secretName').required());
      for (const [item, j] of objItems(src, 'items')) {
        const ip = p.child(k).child('items').index(j);
        if (!strAt(item, 'key')) errs.push(ip.child('key').required());
        errs.push(...validateLocalPath(strAt(item, 'path'), ip.child('path')));
      }
    }
    const sizeLimit = objAt(vol, 'emptyDir')?.['sizeLimit'];
    if (sizeLimit !== undefined && (quantityValue(sizeLimit) ?? 0) < 0)
      errs.push(p.child('emptyDir').child('sizeLimit').forbidden('SizeLimit field must be a valid resource quantity'));
    const downwardApi = objAt(vol, 'downwardAPI');
    if (downwardApi) validateDownwardApiFiles(downwardApi, p.child('downwardAPI'), errs);
    const hostPath = objAt(vol, 'hostPath');
    if (hostPath && !strAt(hostPath, 'path')) errs.push(p.child('hostPath').child('path').required());
    const pvc = objAt(vol, 'persistentVolumeClaim');
    if (pvc && !strAt(pvc, 'claimName')) errs.push(p.child('persistentVolumeClaim').child('claimName').required());
  }
  return names;
}

/** DownwardAPIVolumeFile items: a relative path and exactly one of fieldRef and resourceFieldRef. */
function validateDownwardApiFiles(source: Readonly<Obj>, path: FieldPath, errs: FieldError[]): void {
  for (const [item, j] of objItems(source, 'items')) {
    const ip = path.child('items').index(j);
    errs.push(...validateLocalPath(strAt(item, 'path'), ip.child('path')));
    const fieldRef = objAt(item, 'fieldRef');
    const resourceFieldRef = objAt(item, 'resourceFieldRef');
    if (fieldRef) {
      errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, ip.child('fieldRef')));
      if (resourceFieldRef) errs.push(ip.invalid('resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (resourceFieldRef) {
      errs.push(...validateResourceFieldSelector(resourceFieldRef, ip.child('resourceFieldRef'), true));
    } else {
      errs.push(ip.required('one of fieldRef and resourceFieldRef is required'));
    }
  }
}

function validateLocalPath(value: string, path: FieldPath): FieldError[] {
  if (!value) return [path.required()];
  if (value.startsWith('/')) return [path.invalid(value, 'must be a relative path')];
  if (value.split('/').includes('..')) return [path.invalid(value, "must not contain '..'")];
  return [];
}

function validatePorts(container: Readonly<Obj>, path: FieldPath, hostNetwork: boolean, errs: FieldError[]): void {
  const names = new Set<string>();
  for (const [port, i] of objItems(container, 'ports')) {
    const p = path.index(i);
    const name = strAt(port, 'name');
    if (name) {
      errs.push(...isValidPortName(name).map((m) => p.child('name').invalid(name, m)));
      if (names.has(name)) errs.push(p.child('name').duplicate(name));
      names.add(name);
    }
    const containerPort = numAt(port, 'containerPort') ?? 0;
    if (containerPort === 0) errs.push(p.child('containerPort').required());
    else errs.push(...isValidPortNum(containerPort).map((m) => p.child('containerPort').invalid(containerPort, m)));
    const hostPort = numAt(port, 'hostPort') ?? 0;
    if (hostPort !== 0) errs.push(...isValidPortNum(hostPort).map((m) => p.child('hostPort').invalid(hostPort, m)));
    if (hostNetwork && hostPort !== 0 && hostPort !== containerPort)
      errs.push(p.child('hostPort').invalid(hostPort, 'must match `containerPort` when `hostNetwork` is true'));
    const protocol = strAt(port, 'protocol');
    if (!protocol) errs.push(p.child('protocol').required());
    else if (!protocols.includes(protocol)) errs.push(p.child('protocol').notSupported(protocol, protocols));
  }
}

function validateKeySelector(sel: Readonly<Obj>, path: FieldPath, errs: FieldError[]): void {
  const key = strAt(sel, 'key');
  if (!key) errs.push(path.child('key').required());
  else errs.push(...isConfigMapKey(key).map((m) => path.child('key').invalid(key, m)));
  const name = strAt(sel, 'name');
  if (!name) errs.push(path.child('name').required());
  else errs.push(...dnsSubdomain(name, path.child('name')));
}

function validateEnv(container: Readonly<Obj>, path: FieldPath, errs: FieldError[]): void {
  for (const [env, i] of objItems(container, 'env')) {
    const p = path.child('env').index(i);
    const name = strAt(env, 'name');
    if (!name) errs.push(p.child('name').required());
    else errs.push(...isEnvVarName(name).map((m) => p.child('name').invalid(name, m)));
    const valueFrom = objAt(env, 'valueFrom');
    if (!valueFrom) continue;
    const vp = p.child('valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => isRecord(valueFrom[k]));
    if (strAt(env, 'value')) errs.push(vp.invalid('', 'may not be specified when `value` is not empty'));
    if (sources.length === 0) errs.push(vp.invalid('', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(vp.invalid('', 'may not have more than one field specified at a time'));
    const fieldRef = objAt(valueFrom, 'fieldRef');
    if (fieldRef) errs.push(...validateObjectFieldSelector(fieldRef, ENV_FIELD_PATHS, vp.child('fieldRef')));
    const resourceFieldRef = objAt(valueFrom, 'resourceFieldRef');
    if (resourceFieldRef) errs.push(...validateResourceFieldSelector(resourceFieldRef, vp.child('resourceFieldRef'), false));
    for (const k of ['configMapKeyRef', 'secretKeyRef']) {
      const sel = objAt(valueFrom, k);
      if (sel) validateKeySelector(sel, vp.child(k), errs);
    }
  }
  for (const [src, i] of objItems(container, 'envFrom')) {
    const p = path.child('envFrom').index(i);
    const prefix = strAt(src, 'prefix');
    if (prefix) errs.push(...isEnvVarName(prefix).map((m) => p.child('prefix').invalid(prefix, m)));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isRecord(src[k]));
    if (refs.length === 0) errs.push(p.invalid('', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(p.invalid('', 'may not have more than one field specified at a time'));
    for (const k of refs) {
      const name = strAt(objAt(src, k), 'name');
      if (!name) errs.push(p.child(k).child('name').required());
      else errs.push(...dnsSubdomain(name, p.child(k).child('name')));
    }
  }
}

function validateMounts(container: Readonly<Obj>, path: FieldPath, volumes: ReadonlySet<string>, errs: FieldError[]): void {
  const mountPaths = new Set<string>();
  for (const [mount, i] of objItems(container, 'volumeMounts')) {
    const p = path.child('volumeMounts').index(i);
    const name = strAt(mount, 'name');
    if (!name) errs.push(p.child('name').required());
    else if (!volumes.has(name)) errs.push(p.child('name').notFound(name));
    const mountPath = strAt(mount, 'mountPath');
    if (!mountPath) errs.push(p.child('mountPath').required());
    else if (mountPaths.has(mountPath)) errs.push(p.child('mountPath').invalid(mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    const subPath = strAt(mount, 'subPath');
    if (subPath) {
      if (subPath.startsWith('/')) errs.push(p.child('subPath').invalid(subPath, 'must be a relative path'));
      else if (subPath.split('/').includes('..')) errs.push(p.child('subPath').invalid(subPath, "must not contain '..'"));
    }
  }
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateResourceName(name: string, path: FieldPath): FieldError[] {
  if (standardContainerResources.has(name) || name.startsWith('hugepages-')) return [];
  if (!name.includes('/')) return [path.invalid(name, 'must be a standard resource for containers')];
  return [];
}

/** ResourceRequirements: names, non-negative quantities, and requests not above limits. */
function validateResources(resources: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!resources) return errs;
  const limits = objAt(resources, 'limits') ?? {};
  const requests = objAt(resources, 'requests') ?? {};
  for (const [which, list] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, q] of Object.entries(list)) {
      const p = path.child(which).key(name);
      errs.push(...validateResourceName(name, p));
      const value = quantityValue(q);
      if (value === undefined) errs.push(p.invalid(q, QUANTITY_FORMAT_WRONG));
      else if (value < 0) errs.push(p.invalid(q, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const req = quantityValue(q);
    const lim = quantityValue(limit);
    if (req !== undefined && lim !== undefined && req > lim)
      errs.push(
        path
          .child('requests')
          .key(name)
          .invalid(quantityText(q), `must be less than or equal to ${name} limit of ${quantityText(limit)}`),
      );
  }
  return errs;
}

function validateProbe(probe: Readonly<Obj> | undefined, path: FieldPath, liveness: boolean, errs: FieldError[]): void {
  if (!probe) return;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((k) => isRecord(probe[k]));
  if (handlers.length === 0) errs.push(path.required('must specify a handler type'));
  else if (handlers.length > 1) errs.push(path.child(handlers[1] ?? '').forbidden('may not specify more than 1 handler type'));
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonNegative(probe[k], path.child(k)));
  }
  const success = numAt(probe, 'successThreshold');
  if (liveness && success !== undefined && success !== 1) errs.push(path.child('successThreshold').invalid(success, 'must be 1'));
  validateHandlerPorts(probe, path, errs);
  const grpc = objAt(probe, 'grpc');
  if (grpc) {
    const port = grpc['port'];
    errs.push(
      ...(typeof port === 'number'
        ? isValidPortNum(port).map((m) => path.child('grpc').child('port').invalid(port, m))
        : [path.child('grpc').child('port').required()]),
    );
  }
}

/** The httpGet and tcpSocket parts of a probe or lifecycle handler: a port number or name, an HTTP scheme. */
function validateHandlerPorts(handler: Readonly<Obj>, path: FieldPath, errs: FieldError[]): void {
  for (const kind of ['httpGet', 'tcpSocket'] as const) {
    const action = objAt(handler, kind);
    if (!action) continue;
    const port = action['port'];
    const pp = path.child(kind).child('port');
    if (typeof port === 'number') errs.push(...isValidPortNum(port).map((m) => pp.invalid(port, m)));
    else if (typeof port === 'string' && port !== '') errs.push(...isValidPortName(port).map((m) => pp.invalid(port, m)));
    else errs.push(pp.required());
  }
  const scheme = strAt(objAt(handler, 'httpGet'), 'scheme');
  if (scheme && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(path.child('httpGet').child('scheme').notSupported(scheme, ['HTTP', 'HTTPS']));
}

/** postStart and preStop: exactly one handler, as kube's validateLifecycle. */
function validateLifecycle(lifecycle: Readonly<Obj> | undefined, path: FieldPath, errs: FieldError[]): void {
  if (!lifecycle) return;
  for (const hook of ['postStart', 'preStop'] as const) {
    const handler = objAt(lifecycle, hook);
    if (!handler) continue;
    const hp = path.child(hook);
    const handlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'].filter((k) => isRecord(handler[k]));
    if (handlers.length === 0) errs.push(hp.required('must specify a handler type'));
    else if (handlers.length > 1) errs.push(hp.child(handlers[1] ?? '').forbidden('may not specify more than 1 handler type'));
    validateHandlerPorts(handler, hp, errs);
  }
}

interface ContainerContext {
  readonly volumes: ReadonlySet<string>;
  readonly names: Set<string>;
  readonly hostNetwork: boolean;
}

function validateContainer(c: Readonly<Obj>, p: FieldPath, ctx: ContainerContext, errs: FieldError[]): void {
  const name = strAt(c, 'name');
  if (!name) errs.push(p.child('name').required());
  else errs.push(...dnsLabel(name, p.child('name')));
  if (name && ctx.names.has(name)) errs.push(p.child('name').duplicate(name));
  if (name) ctx.names.add(name);
  const image = strAt(c, 'image');
  if (!image) errs.push(p.child('image').required());
  const pull = strAt(c, 'imagePullPolicy');
  if (!pull) errs.push(p.child('imagePullPolicy').required());
  else if (!pullPolicies.includes(pull)) errs.push(p.child('imagePullPolicy').notSupported(pull, pullPolicies));
  const tmp = strAt(c, 'terminationMessagePolicy');
  if (!tmp) errs.push(p.child('terminationMessagePolicy').required());
  else if (!terminationMessagePolicies.includes(tmp)) errs.push(p.child('terminationMessagePolicy').notSupported(tmp, terminationMessagePolicies));
  validatePorts(c, p.child('ports'), ctx.hostNetwork, errs);
  validateEnv(c, p, errs);
  validateMounts(c, p, ctx.volumes, errs);
  errs.push(...validateResources(objAt(c, 'resources'), p.child('resources')));
  errs.push(...validateSecurityContext(objAt(c, 'securityContext'), p.child('securityContext')));
}

function validateTolerations(spec: Readonly<Obj>, path: FieldPath, errs: FieldError[]): void {
  for (const [t, i] of objItems(spec, 'tolerations')) {
    const p = path.index(i);
    const key = strAt(t, 'key');
    if (key) errs.push(...validateLabelNameOnly(key, p.child('key')));
    const operator = strAt(t, 'operator');
    if (!key && operator !== 'Exists')
      errs.push(p.child('operator').invalid(operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (operator && !tolerationOperators.includes(operator)) errs.push(p.child('operator').notSupported(operator, tolerationOperators));
    if (operator === 'Exists' && strAt(t, 'value')) errs.push(p.child('operator').invalid(t['value'], "value must be empty when `operator` is 'Exists'"));
    const effect = strAt(t, 'effect');
    if (effect && !taintEffects.includes(effect)) errs.push(p.child('effect').notSupported(effect, taintEffects));
    const seconds = t['tolerationSeconds'];
    if (seconds !== undefined && seconds !== null && effect !== 'NoExecute')
      errs.push(p.child('effect').invalid(effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
}

function validateLabelNameOnly(key: string, path: FieldPath): FieldError[] {
  return validateLabels({ [key]: '' }, path);
}

export function validatePodSpec(spec: Readonly<Obj> | undefined, path: FieldPath, opts: PodSpecOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec ?? {};
  const volumes = new Set([...validateVolumes(s, path.child('volumes'), errs), ...(opts.ownerVolumes ?? [])]);
  const ctx: ContainerContext = { volumes, names: new Set(), hostNetwork: s['hostNetwork'] === true };
  const containers = objItems(s, 'containers');
  if (arrAt(s, 'containers').length === 0) errs.push(path.child('containers').required());
  for (const [c, i] of objItems(s, 'initContainers')) {
    const p = path.child('initContainers').index(i);
    validateContainer(c, p, ctx, errs);
    const rp = strAt(c, 'restartPolicy');
    if (rp && rp !== 'Always') errs.push(p.child('restartPolicy').notSupported(rp, ['Always']));
    if (rp !== 'Always') {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[k] !== undefined && c[k] !== null) errs.push(p.child(k).forbidden(`may not be set for init containers without restartPolicy=Always`));
      }
    }
  }
  for (const [c, i] of containers) {
    const p = path.child('containers').index(i);
    validateContainer(c, p, ctx, errs);
    validateProbe(objAt(c, 'livenessProbe'), p.child('livenessProbe'), true, errs);
    validateProbe(objAt(c, 'readinessProbe'), p.child('readinessProbe'), false, errs);
    validateProbe(objAt(c, 'startupProbe'), p.child('startupProbe'), true, errs);
    validateLifecycle(objAt(c, 'lifecycle'), p.child('lifecycle'), errs);
    if (strAt(c, 'restartPolicy')) errs.push(p.child('restartPolicy').forbidden('may not be set for non-init containers'));
  }
  const restartPolicy = strAt(s, 'restartPolicy');
  const allowed = opts.restartPolicies ?? restartPolicies;
  if (!restartPolicy) errs.push(path.child('restartPolicy').required());
  else if (!restartPolicies.includes(restartPolicy)) errs.push(path.child('restartPolicy').notSupported(restartPolicy, restartPolicies));
  else if (!allowed.includes(restartPolicy)) errs.push(path.child('restartPolicy').notSupported(restartPolicy, allowed));
  const dnsPolicy = strAt(s, 'dnsPolicy');
  if (!dnsPolicy) errs.push(path.child('dnsPolicy').required());
  else if (!dnsPolicies.includes(dnsPolicy)) errs.push(path.child('dnsPolicy').notSupported(dnsPolicy, dnsPolicies));
  if (dnsPolicy === 'None' && !isRecord(s['dnsConfig'])) errs.push(path.child('dnsConfig').required('must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...validateNonNegative(s['terminationGracePeriodSeconds'], path.child('terminationGracePeriodSeconds')));
  const deadline = s['activeDeadlineSeconds'];
  if (typeof deadline === 'number' && (deadline < 1 || deadline > MAX_INT32))
    errs.push(path.child('activeDeadlineSeconds').invalid(deadline, inclusiveRangeError(1, MAX_INT32)));
  errs.push(...validateLabels(stringMapAt(s, 'nodeSelector'), path.child('nodeSelector')));
  for (const key of ['serviceAccountName', 'nodeName', 'priorityClassName']) {
    const v = strAt(s, key);
    if (v) errs.push(...dnsSubdomain(v, path.child(key)));
  }
  for (const key of ['hostname', 'subdomain']) {
    const v = strAt(s, key);
    if (v) errs.push(...dnsLabel(v, path.child(key)));
  }
  validateTolerations(s, path.child('tolerations'), errs);
  for (const [ref, i] of objItems(s, 'imagePullSecrets')) {
    if (!strAt(ref, 'name')) errs.push(path.child('imagePullSecrets').index(i).child('name').required());
  }
  for (const [gate, i] of objItems(s, 'schedulingGates')) {
    const name = strAt(gate, 'name');
    errs.push(...validateLabels({ [name]: '' }, path.child('schedulingGates').index(i).child('name')));
  }
  errs.push(...validateResources(objAt(s, 'resources'), path.child('resources')));
  // kube checks overhead as a container's limits, paths included (spec.overhead.limits[cpu]).
  const overhead = objAt(s, 'overhead');
  if (overhead) errs.push(...validateResources({ limits: overhead }, path.child('overhead')));
  errs.push(...validateAffinity(objAt(s, 'affinity'), path.child('affinity')));
  errs.push(...validateTopologySpread(s, path.child('topologySpreadConstraints')));
  errs.push(...validateSecurityContext(objAt(s, 'securityContext'), path.child('securityContext')));
  errs.push(...validateDnsConfig(s, path.child('dnsConfig')));
  errs.push(...validateOsAndGates(s, path));
  return errs;
}

/** PodTemplateSpec: template labels and annotations, then the spec. */
export function validatePodTemplateSpec(template: Readonly<Obj> | undefined, path: FieldPath, opts: PodSpecOptions = {}): FieldError[] {
  if (!template) return [path.required()];
  const meta = objAt(template, 'metadata');
  return [
    ...validateLabels(stringMapAt(meta, 'labels'), path.child('metadata').child('labels')),
    ...validateAnnotations(stringMapAt(meta, 'annotations'), path.child('metadata').child('annotations')),
    ...validatePodSpec(objAt(template, 'spec'), path.child('spec'), opts),
  ];
}
