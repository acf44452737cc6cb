// Valid objects of the kinds the hostile-input suite mutates: each one a kube-apiserver accepts as
// it is, rich in the fields hostile inputs aim at (numbers, int-or-strings, quantities, lists of
// structs, downward API paths, label and annotation maps).

export type Obj = Record<string, unknown>;

export interface Kind {
  readonly kind: string;
  readonly apiVersion: string;
  /** URL path of the collection in namespace `ns` (cluster-scoped kinds ignore it). */
  collection(ns: string): string;
  /** Definition name in the API type facts (for the oracle and the mutators). */
  readonly typeName: string;
  readonly namespaced: boolean;
  /** Subresources a case may aim at. */
  readonly subresources: readonly ('status' | 'scale')[];
  make(name: string, ns: string): Obj;
}

function podSpec(): Obj {
  return {
    terminationGracePeriodSeconds: 30,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'example.com/slow', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
    initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
    containers: [
      {
        name: 'app',
        image: 'nginx',
        command: ['nginx'],
        args: ['-g', 'daemon off;'],
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: 'b' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        ],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
        volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
        readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
        livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 3 },
      },
    ],
    volumes: [
      { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    ],
  };
}

function template(labels: Obj): Obj {
  return { metadata: { labels }, spec: podSpec() };
}

const labelsOf = (name: string): Obj => ({ app: name });

export const kinds: readonly Kind[] = [
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    collection: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
    typeName: 'io.k8s.api.apps.v1.Deployment',
    namespaced: true,
    subresources: ['status', 'scale'],
    make: (name) => ({
      spec: {
        replicas: 1,
        selector: { matchLabels: labelsOf(name) },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        revisionHistoryLimit: 3,
        progressDeadlineSeconds: 600,
        template: template(labelsOf(name)),
      },
    }),
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    collection: (ns) => `/apis/apps/v1/namespaces/${ns}/statefulsets`,
    typeName: 'io.k8s.api.apps.v1.StatefulSet',
    namespaced: true,
    subresources: ['status', 'scale'],
    make: (name) => ({
      spec: {
        replicas: 1,
        serviceName: name,
        selector: { matchLabels: labelsOf(name) },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        template: template(labelsOf(name)),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    }),
  },
  {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    collection: (ns) => `/apis/apps/v1/namespaces/${ns}/daemonsets`,
    typeName: 'io.k8s.api.apps.v1.DaemonSet',
    namespaced: true,
    subresources: ['status'],
    make: (name) => ({
      spec: {
        selector: { matchLabels: labelsOf(name) },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: template(labelsOf(name)),
      },
    }),
  },
  {
    kind: 'Job',
    apiVersion: 'batch/v1',
    collection: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
    typeName: 'io.k8s.api.batch.v1.Job',
    namespaced: true,
    subresources: ['status'],
    make: () => {
      const spec = podSpec();
      spec.restartPolicy = 'Never';
      return { spec: { parallelism: 1, completions: 1, backoffLimit: 2, ttlSecondsAfterFinished: 60, template: { spec } } };
    },
  },
  {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    collection: (ns) => `/apis/batch/v1/namespaces/${ns}/cronjobs`,
    typeName: 'io.k8s.api.batch.v1.CronJob',
    namespaced: true,
    subresources: ['status'],
    make: () => {
      const spec = podSpec();
      spec.restartPolicy = 'OnFailure';
      return {
        spec: {
          schedule: '0 0 1 1 *',
          startingDeadlineSeconds: 100,
          successfulJobsHistoryLimit: 1,
          suspend: true,
          jobTemplate: { spec: { backoffLimit: 1, template: { spec } } },
        },
      };
    },
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    collection: (ns) => `/api/v1/namespaces/${ns}/pods`,
    typeName: 'io.k8s.api.core.v1.Pod',
    namespaced: true,
    subresources: ['status'],
    make: (name) => ({ metadata: { labels: labelsOf(name) }, spec: { ...podSpec(), activeDeadlineSeconds: 600 } }),
  },
  {
    kind: 'Service',
    apiVersion: 'v1',
    collection: (ns) => `/api/v1/namespaces/${ns}/services`,
    typeName: 'io.k8s.api.core.v1.Service',
    namespaced: true,
    subresources: ['status'],
    make: (name) => ({
      spec: {
        type: 'NodePort',
        selector: labelsOf(name),
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      },
    }),
  },
  {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    collection: (ns) => `/api/v1/namespaces/${ns}/configmaps`,
    typeName: 'io.k8s.api.core.v1.ConfigMap',
    namespaced: true,
    subresources: [],
    make: () => ({ data: { 'app.conf': 'x = 1\n', key: 'value' }, binaryData: { blob: 'AAEC' } }),
  },
  {
    kind: 'Secret',
    apiVersion: 'v1',
    collection: (ns) => `/api/v1/namespaces/${ns}/secrets`,
    typeName: 'io.k8s.api.core.v1.Secret',
    namespaced: true,
    subresources: [],
    make: () => ({ type: 'Opaque', data: { password: 'c2VjcmV0' }, stringData: { user: 'admin' } }),
  },
  {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    collection: (ns) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
    typeName: 'io.k8s.api.core.v1.PersistentVolumeClaim',
    namespaced: true,
    subresources: ['status'],
    make: () => ({ spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' }, limits: { storage: '2Gi' } } } }),
  },
  {
    kind: 'LimitRange',
    apiVersion: 'v1',
    collection: (ns) => `/api/v1/namespaces/${ns}/limitranges`,
    typeName: 'io.k8s.api.core.v1.LimitRange',
    namespaced: true,
    subresources: [],
    make: () => ({ spec: { limits: [{ type: 'Container', max: { cpu: '64' }, min: { cpu: '1m' }, defaultRequest: { memory: '1Mi' } }] } }),
  },
  {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    collection: (ns) => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
    typeName: 'io.k8s.api.policy.v1.PodDisruptionBudget',
    namespaced: true,
    subresources: ['status'],
    make: (name) => ({ spec: { minAvailable: 1, selector: { matchLabels: labelsOf(name) } } }),
  },
  {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v2',
    collection: (ns) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
    typeName: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
    namespaced: true,
    subresources: ['status'],
    make: (name) => ({
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    }),
  },
  {
    kind: 'Node',
    apiVersion: 'v1',
    collection: () => '/api/v1/nodes',
    typeName: 'io.k8s.api.core.v1.Node',
    namespaced: false,
    subresources: ['status'],
    make: () => ({
      metadata: { labels: { 'hostile.skiff.dev/fake': 'true' } },
      spec: { unschedulable: true, taints: [{ key: 'hostile.skiff.dev/fake', effect: 'NoSchedule' }] },
      status: { capacity: { cpu: '2', memory: '1Gi', pods: '10' } },
    }),
  },
];

/** The body of a new object of `kind` named `name` in `ns`, valid as it is. */
export function validObject(kind: Kind, name: string, ns: string): Obj {
  const body = kind.make(name, ns);
  const meta = { ...((body.metadata as Obj | undefined) ?? {}), name, ...(kind.namespaced ? { namespace: ns } : {}) };
  return { apiVersion: kind.apiVersion, kind: kind.kind, ...body, metadata: meta };
}
