// Defaulting of PodSpec and everything inside it (containers, probes, volumes, env), as the
// core/v1 SetDefaults_* functions do on decode. Pods and every pod template share it; the few
// Pod-only defaults (requests from limits, enableServiceLinks) are in defaultPodOnlyFields.

import { type Obj, objAt, ensureObj, objItems, setDefault, setDefaultString, strAt, numAt } from './object-access.js';
import { isRecord } from '../../lang/index.js';

const DEFAULT_MODE = 0o644;

/** Always for `:latest` or untagged images (without a digest), IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(handler: Obj | undefined): void {
  const httpGet = objAt(handler, 'httpGet');
  if (!httpGet) return;
  setDefaultString(httpGet, 'path', '/');
  setDefaultString(httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe) return;
  for (const [k, v] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (isZero(probe[k])) probe[k] = v;
  }
  defaultHttpGet(probe);
  // GRPCAction.Service is a pointer with `+default=""`: clients (kubectl describe) dereference it.
  const grpc = objAt(probe, 'grpc');
  if (grpc && (grpc['service'] === undefined || grpc['service'] === null)) grpc['service'] = '';
}

/** Go's defaulting tests int32 fields against 0, so an explicit 0 is replaced too. */
function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === 0;
}

function defaultEnv(container: Obj): void {
  for (const [env] of objItems(container, 'env')) {
    const fieldRef = objAt(objAt(env, 'valueFrom'), 'fieldRef');
    if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
}

function defaultContainer(container: Obj): void {
  setDefaultString(container, 'imagePullPolicy', defaultPullPolicy(strAt(container, 'image')));
  setDefaultString(container, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(container, 'terminationMessagePolicy', 'File');
  // A Go struct (not a pointer) with omitempty still marshals as {}.
  ensureObj(container, 'resources');
  for (const [port] of objItems(container, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  defaultProbe(objAt(container, 'livenessProbe'));
  defaultProbe(objAt(container, 'readinessProbe'));
  defaultProbe(objAt(container, 'startupProbe'));
  const lifecycle = objAt(container, 'lifecycle');
  defaultHttpGet(objAt(lifecycle, 'postStart'));
  defaultHttpGet(objAt(lifecycle, 'preStop'));
  defaultEnv(container);
}

const volumeSourceKeys = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

export function volumeSourcesOf(volume: Readonly<Obj>): string[] {
  return volumeSourceKeys.filter((k) => volume[k] !== undefined && volume[k] !== null);
}

function defaultFieldRefs(items: Obj | undefined): void {
  for (const [item] of objItems(items, 'items')) {
    const fieldRef = objAt(item, 'fieldRef');
    if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
}

/** Defaults shared by volumes in pods and by persistent volumes (hostPath, iscsi, rbd, ...). */
export function defaultVolumeSource(source: Obj): void {
  const hostPath = objAt(source, 'hostPath');
  if (hostPath) setDefault(hostPath, 'type', '');
  const iscsi = objAt(source, 'iscsi');
  if (iscsi) setDefaultString(iscsi, 'iscsiInterface', 'default');
  const rbd = objAt(source, 'rbd');
  if (rbd) {
    setDefaultString(rbd, 'pool', 'rbd');
    setDefaultString(rbd, 'user', 'admin');
    setDefaultString(rbd, 'keyring', '/etc/ceph/keyring');
  }
  const azureDisk = objAt(source, 'azureDisk');
  if (azureDisk) {
    setDefaultString(azureDisk, 'cachingMode', 'ReadWrite');
    setDefaultString(azureDisk, 'fsType', 'ext4');
    setDefault(azureDisk, 'readOnly', false);
    setDefaultString(azureDisk, 'kind', 'Shared');
  }
  const scaleIO = objAt(source, 'scaleIO');
  if (scaleIO) {
    setDefaultString(scaleIO, 'storageMode', 'ThinProvisioned');
    setDefaultString(scaleIO, 'fsType', 'xfs');
  }
}

function defaultVolume(volume: Obj): void {
  if (volumeSourcesOf(volume).length === 0) volume['emptyDir'] = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected'] as const) {
    const source = objAt(volume, k);
    if (source) setDefault(source, 'defaultMode', DEFAULT_MODE);
  }
  defaultFieldRefs(objAt(volume, 'downwardAPI'));
  for (const [projection] of objItems(objAt(volume, 'projected'), 'sources')) {
    const token = objAt(projection, 'serviceAccountToken');
    if (token) setDefault(token, 'expirationSeconds', 3600);
    defaultFieldRefs(objAt(projection, 'downwardAPI'));
  }
  defaultVolumeSource(volume);
  const claimSpec = objAt(objAt(objAt(volume, 'ephemeral'), 'volumeClaimTemplate'), 'spec');
  if (claimSpec) setDefaultString(claimSpec, 'volumeMode', 'Filesystem');
}

export function defaultPodSpec(spec: Obj): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  mirrorServiceAccount(spec);
  for (const [c] of objItems(spec, 'containers')) defaultContainer(c);
  for (const [c] of objItems(spec, 'initContainers')) defaultContainer(c);
  for (const [c] of objItems(spec, 'ephemeralContainers')) defaultContainer(c);
  for (const [v] of objItems(spec, 'volumes')) defaultVolume(v);
}

/** Pod templates (in workloads and PodTemplate objects) get PodSpec defaults only. */
export function defaultPodTemplate(template: Obj | undefined): void {
  if (!template) return;
  defaultPodSpec(ensureObj(template, 'spec'));
}

/** With hostNetwork a container's hostPort is its containerPort. */
function defaultHostNetworkPorts(spec: Obj): void {
  for (const key of ['containers', 'initContainers']) {
    for (const [c] of objItems(spec, key)) {
      for (const [port] of objItems(c, 'ports')) {
        if (isZero(port['hostPort'])) {
          const containerPort = numAt(port, 'containerPort');
          if (containerPort !== undefined) port['hostPort'] = containerPort;
        }
      }
    }
  }
}

/** Defaults kube applies to Pod objects but not to templates. */
export function defaultPodOnlyFields(spec: Obj): void {
  for (const key of ['containers', 'initContainers']) {
    for (const [c] of objItems(spec, key)) copyLimitsToRequests(objAt(c, 'resources'));
  }
  copyLimitsToRequests(objAt(spec, 'resources'));
  setDefault(spec, 'enableServiceLinks', true);
  if (spec['hostNetwork'] === true) defaultHostNetworkPorts(spec);
}

function copyLimitsToRequests(resources: Obj | undefined): void {
  const limits = objAt(resources, 'limits');
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests = isRecord(resources['requests']) ? resources['requests'] : {};
  for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
  resources['requests'] = requests;
}

/** v1 keeps the deprecated serviceAccount field mirrored with serviceAccountName. */
function mirrorServiceAccount(spec: Obj): void {
  const name = strAt(spec, 'serviceAccountName') || strAt(spec, 'serviceAccount');
  if (!name) return;
  spec['serviceAccountName'] = name;
  spec['serviceAccount'] = name;
}
