// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler. v1 has only a CPU utilisation
// target; everything else v2 holds travels in the annotations kube-apiserver uses for it.
type Obj = Record<string, unknown>;

const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';

function rec(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function isCpuUtilization(m: Obj): boolean {
  const res = rec(m.resource);
  return m.type === 'Resource' && res.name === 'cpu' && rec(res.target).type === 'Utilization';
}

export function hpaV1ToV2(obj: Obj): Obj {
  const out: Obj = { ...obj, metadata: { ...rec(obj.metadata) } };
  const meta = out.metadata as Obj;
  const annotations: Record<string, string> = { ...(rec(meta.annotations) as Record<string, string>) };
  const spec = rec(obj.spec);
  const metrics: unknown[] = [];
  if (annotations[metricsAnnotation]) {
    try {
      metrics.push(...(JSON.parse(annotations[metricsAnnotation]) as unknown[]));
    } catch {
      // A malformed annotation carries nothing worth keeping.
    }
  }
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.unshift({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  let behavior: unknown;
  if (annotations[behaviorAnnotation]) {
    try {
      behavior = JSON.parse(annotations[behaviorAnnotation]);
    } catch {
      behavior = undefined;
    }
  }
  for (const a of [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation, behaviorAnnotation]) delete annotations[a];
  if (Object.keys(annotations).length) meta.annotations = annotations;
  else delete meta.annotations;
  const v2spec: Obj = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) v2spec.minReplicas = spec.minReplicas;
  if (metrics.length) v2spec.metrics = metrics;
  if (behavior) v2spec.behavior = behavior;
  out.spec = v2spec;
  const status = rec(obj.status);
  const v2status: Obj = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
  if (status.observedGeneration !== undefined) v2status.observedGeneration = status.observedGeneration;
  if (status.lastScaleTime !== undefined) v2status.lastScaleTime = status.lastScaleTime;
  if (typeof status.currentCPUUtilizationPercentage === 'number') {
    v2status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  out.status = v2status;
  return out;
}

export function hpaV1FromV2(obj: Readonly<Obj>): Obj {
  const out: Obj = { ...obj, metadata: { ...rec(obj.metadata) } };
  const meta = out.metadata as Obj;
  const annotations: Record<string, string> = { ...(rec(meta.annotations) as Record<string, string>) };
  const spec = rec(obj.spec);
  const metrics = Array.isArray(spec.metrics) ? (spec.metrics as Obj[]) : [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const v1spec: Obj = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) v1spec.minReplicas = spec.minReplicas;
  if (cpu) v1spec.targetCPUUtilizationPercentage = rec(rec(cpu.resource).target).averageUtilization;
  if (others.length) annotations[metricsAnnotation] = JSON.stringify(others);
  if (spec.behavior) annotations[behaviorAnnotation] = JSON.stringify(spec.behavior);
  const status = rec(obj.status);
  const v1status: Obj = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
  if (status.observedGeneration !== undefined) v1status.observedGeneration = status.observedGeneration;
  if (status.lastScaleTime !== undefined) v1status.lastScaleTime = status.lastScaleTime;
  const current = Array.isArray(status.currentMetrics) ? (status.currentMetrics as Obj[]) : [];
  const cpuNow = current.find((m) => m.type === 'Resource' && rec(m.resource).name === 'cpu');
  if (cpuNow) v1status.currentCPUUtilizationPercentage = rec(rec(cpuNow.resource).current).averageUtilization;
  const otherNow = current.filter((m) => m !== cpuNow);
  if (otherNow.length) annotations[currentMetricsAnnotation] = JSON.stringify(otherNow);
  if (Array.isArray(status.conditions) && status.conditions.length) annotations[conditionsAnnotation] = JSON.stringify(status.conditions);
  if (Object.keys(annotations).length) meta.annotations = annotations;
  out.spec = v1spec;
  out.status = v1status;
  return out;
}
