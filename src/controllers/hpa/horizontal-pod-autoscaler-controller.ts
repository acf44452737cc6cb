// HorizontalPodAutoscaler controller, as kube-controller-manager's: every sync period it reads the
// target's scale, the pods' resource usage from the metrics.k8s.io API and their requests, asks
// the replica calculator for a count and writes the scale, then the HPA's status and conditions.
// Without a metrics API it reports ScalingActive=False (FailedGetResourceMetric) as kube does.
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { resources, parseLabelSelector, kubeTime } from '../../api/index.js';
import { milliValue, parseQuantity, quantityOf, formatQuantity, fromMilli, integerValue } from '../../api/index.js';
import { ApiResponseError, WorkQueue, resourcePath, splitKey, type Informer, type KubeObject, gvr } from '../../client/index.js';
import {
  defaultBehavior,
  normalizeReplicas,
  resourceReplicas,
  type Behavior,
  type MetricTarget,
  type PodSample,
  type Recommendation,
  type ScaleEvent,
  type ScalingRules,
} from './replica-calculator.js';
import { isPodReady, type ControllerContext, type PodObject, type Cached } from '../shared/index.js';
import { errorMessage, jsonEqual } from '../../lang/index.js';

interface Scale {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

interface PodMetrics {
  items: Array<{ metadata: { name: string }; containers?: Array<{ name: string; usage?: Record<string, string> }> }>;
}

/** kube-controller-manager's --horizontal-pod-autoscaler-sync-period. */
const syncPeriodMs = 15_000;

/** The server's words from a client error, without the method and path the client adds. */
function serverMessage(err: unknown): string {
  const text = errorMessage(err);
  return /^\S+ \S+: \d+ (.*)$/s.exec(text)?.[1] ?? text;
}

/** A metric that could not be computed: the condition reason and the error kube reports. */
class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function rules(
  given: { stabilizationWindowSeconds?: number; selectPolicy?: string; policies?: Array<{ type: string; value: number; periodSeconds: number }> } | undefined,
  fallback: ScalingRules,
): ScalingRules {
  if (!given) return fallback;
  return {
    stabilizationWindowSeconds: given.stabilizationWindowSeconds ?? fallback.stabilizationWindowSeconds,
    selectPolicy: given.selectPolicy === 'Min' || given.selectPolicy === 'Disabled' ? given.selectPolicy : 'Max',
    policies: given.policies
      ? given.policies.map((p) => ({ type: p.type === 'Pods' ? 'Pods' : 'Percent', value: p.value, periodSeconds: p.periodSeconds }))
      : fallback.policies,
  };
}

export class HorizontalPodAutoscalerController {
  private readonly hpas: Informer<Cached<HorizontalPodAutoscaler>>;
  private readonly pods: Informer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'horizontalpodautoscaler' });
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleEvents = new Map<string, ScaleEvent[]>();

  constructor(private readonly ctx: ControllerContext) {
    this.hpas = ctx.informers.informer<Cached<HorizontalPodAutoscaler>>(gvr.horizontalPodAutoscalers);
    this.pods = ctx.informers.informer<PodObject>(gvr.pods);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.hpas.addHandler({
      onAdd: (h) => this.queue.add(key(h)),
      onUpdate: (old, h) => {
        if (JSON.stringify(old.spec) !== JSON.stringify(h.spec)) this.queue.add(key(h));
      },
      onDelete: (h) => {
        this.recommendations.delete(key(h));
        this.scaleEvents.delete(key(h));
      },
    });
    await Promise.all([this.hpas.waitForSync(signal), this.pods.waitForSync(signal)]);
    await this.queue.run(
      2,
      async (k) => {
        try {
          await this.sync(k);
        } finally {
          // Metrics change without events: every autoscaler is looked at again each sync period.
          if (this.hpas.store.get(k)) this.queue.addAfter(k, syncPeriodMs);
        }
      },
      signal,
    );
  }

  private async sync(k: string): Promise<void> {
    const hpa = this.hpas.store.get(k);
    if (!hpa?.spec) return;
    const { namespace } = splitKey(k);
    const recorder = this.ctx.recorder('horizontal-pod-autoscaler');
    const conditions: HorizontalPodAutoscalerCondition[] = [];
    const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => {
      const previous = (hpa.status?.conditions ?? []).find((c) => c.type === type);
      conditions.push({
        type,
        status,
        reason,
        message,
        lastTransitionTime: (previous?.status === status ? previous.lastTransitionTime : undefined) ?? kubeTime(),
      });
    };
    const target = hpa.spec.scaleTargetRef;
    const [group = '', version = ''] = target.apiVersion?.includes('/') ? target.apiVersion.split('/') : ['', target.apiVersion ?? ''];
    const info = resources.find((r) => r.group === group && r.version === version && r.kind === target.kind && r.subresources.some((s) => s.name === 'scale'));
    let scale: Scale;
    try {
      if (!info) throw new Error(`no matches for kind "${target.kind}" in group "${group}"`);
      scale = await this.ctx.client.get<Scale>(resourcePath(info, namespace, target.name, 'scale'));
    } catch (err) {
      const message = serverMessage(err);
      recorder.event(hpa, 'Warning', 'FailedGetScale', message);
      condition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
      await this.writeStatus(hpa, { currentReplicas: hpa.status?.currentReplicas ?? 0, desiredReplicas: hpa.status?.desiredReplicas ?? 0, conditions });
      return;
    }
    const current = scale.spec?.replicas ?? 0;
    const minReplicas = hpa.spec.minReplicas ?? 1;
    let desired = current;
    let currentMetrics: MetricStatus[] = [];
    let rescaleReason = '';
    if (current === 0 && minReplicas !== 0) {
      condition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
      condition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
      await this.writeStatus(hpa, { currentReplicas: current, desiredReplicas: 0, conditions });
      return;
    }
    try {
      const computed = await this.computeReplicas(hpa, namespace, current, scale.status?.selector ?? '');
      currentMetrics = computed.metrics;
      rescaleReason = computed.reason;
      const now = Date.now();
      const behavior: Behavior = {
        scaleUp: rules(hpa.spec.behavior?.scaleUp, defaultBehavior.scaleUp),
        scaleDown: rules(hpa.spec.behavior?.scaleDown, defaultBehavior.scaleDown),
      };
      const longest = Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds) * 1000;
      const history = (this.recommendations.get(k) ?? []).filter((r) => r.at > now - longest);
      const longestPeriod = Math.max(0, ...[...behavior.scaleUp.policies, ...behavior.scaleDown.policies].map((p) => p.periodSeconds)) * 1000;
      const events = (this.scaleEvents.get(k) ?? []).filter((e) => e.at > now - longestPeriod);
      const normalized = normalizeReplicas({
        now,
        currentReplicas: current,
        recommended: computed.replicas,
        minReplicas,
        maxReplicas: hpa.spec.maxReplicas,
        behavior,
        history,
        scaleEvents: events,
      });
      history.push({ at: now, replicas: computed.replicas });
      this.recommendations.set(k, history);
      this.scaleEvents.set(k, events);
      desired = normalized.replicas;
      if (normalized.stabilized === 'ScaleDownStabilized') {
        condition(
          'AbleToScale',
          'True',
          'ScaleDownStabilized',
          'recent recommendations were higher than current one, applying the highest recent recommendation',
        );
      } else if (normalized.stabilized === 'ScaleUpStabilized') {
        condition('AbleToScale', 'True', 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation');
      } else {
        condition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
      }
      condition('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${computed.metricName}`);
      condition('ScalingLimited', normalized.limited.status, normalized.limited.reason, normalized.limited.message);
    } catch (err) {
      const reason = err instanceof MetricError ? err.reason : 'FailedComputeMetricsReplicas';
      const message = errorMessage(err);
      recorder.event(hpa, 'Warning', reason, message);
      recorder.event(
        hpa,
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (1 invalid out of ${(hpa.spec.metrics ?? []).length || 1}), first error is: ${message}`,
      );
      condition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
      condition('ScalingActive', 'False', reason, `the HPA was unable to compute the replica count: ${message}`);
      await this.writeStatus(hpa, { currentReplicas: current, desiredReplicas: hpa.status?.desiredReplicas ?? current, currentMetrics: [], conditions });
      return;
    }
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (desired !== current) {
      try {
        await this.ctx.client.update(resourcePath(info, namespace, target.name, 'scale'), {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: scale.metadata,
          spec: { replicas: desired },
        });
      } catch (err) {
        const message = serverMessage(err);
        recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${message}`);
        conditions[0] = {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedUpdateScale',
          message: `the HPA controller was unable to update the target scale: ${message}`,
          lastTransitionTime: kubeTime(),
        };
        await this.writeStatus(hpa, { currentReplicas: current, desiredReplicas: hpa.status?.desiredReplicas ?? current, currentMetrics, conditions });
        throw err;
      }
      recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${desired > current ? rescaleReason : 'All metrics below target'}`);
      conditions[0] = {
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededRescale',
        message: `the HPA controller was able to update the target scale to ${desired}`,
        lastTransitionTime: kubeTime(),
      };
      this.scaleEvents.get(k)?.push({ at: Date.now(), change: desired - current });
      lastScaleTime = kubeTime();
    }
    await this.writeStatus(hpa, {
      currentReplicas: current,
      desiredReplicas: desired,
      currentMetrics,
      conditions,
      ...(lastScaleTime ? { lastScaleTime } : {}),
    });
  }

  /** The largest count any metric asks for, as kube takes across metrics. */
  private async computeReplicas(
    hpa: Cached<HorizontalPodAutoscaler>,
    namespace: string,
    current: number,
    selectorText: string,
  ): Promise<{ replicas: number; metrics: MetricStatus[]; reason: string; metricName: string }> {
    const specs: MetricSpec[] = hpa.spec?.metrics?.length
      ? hpa.spec.metrics
      : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    let best: { replicas: number; reason: string; metricName: string } | undefined;
    const statuses: MetricStatus[] = [];
    for (const spec of specs) {
      if (spec.type !== 'Resource' || !spec.resource) {
        const reason =
          spec.type === 'Pods'
            ? 'FailedGetPodsMetric'
            : spec.type === 'Object'
              ? 'FailedGetObjectMetric'
              : spec.type === 'External'
                ? 'FailedGetExternalMetric'
                : 'FailedGetContainerResourceMetric';
        throw new MetricError(reason, `unable to get metric ${spec.type}: no custom or external metrics API is served`);
      }
      const name = spec.resource.name;
      const t = spec.resource.target;
      const metricTarget: MetricTarget =
        t.type === 'Utilization'
          ? { utilization: t.averageUtilization ?? 80 }
          : { averageValue: name === 'cpu' ? milliValue(quantityOf(t.averageValue)) : integerValue(quantityOf(t.averageValue)) };
      const usage = await this.podUsage(namespace, selectorText, name);
      const samples = this.samples(namespace, selectorText, name, usage);
      let result;
      try {
        result = resourceReplicas(current, samples, metricTarget, name);
      } catch (err) {
        throw new MetricError('FailedGetResourceMetric', `failed to get ${name} utilization: ${errorMessage(err)}`);
      }
      const average = name === 'cpu' ? formatQuantity(fromMilli(result.averageValue)) : String(Math.round(result.averageValue));
      statuses.push({
        type: 'Resource',
        resource: { name, current: { averageValue: average, ...(result.utilization !== undefined ? { averageUtilization: result.utilization } : {}) } },
      });
      const metricName = t.type === 'Utilization' ? `${name} resource utilization (percentage of request)` : `${name} resource`;
      if (!best || result.replicas > best.replicas) best = { replicas: result.replicas, reason: `${metricName} above target`, metricName };
    }
    return { ...best!, metrics: statuses };
  }

  /** Usage per pod from metrics.k8s.io: cpu in thousandths, other resources in units. */
  private async podUsage(namespace: string, selectorText: string, resource: string): Promise<Map<string, number>> {
    const query = selectorText ? `?labelSelector=${encodeURIComponent(selectorText)}` : '';
    let list: PodMetrics;
    try {
      list = await this.ctx.client.get<PodMetrics>(`${resourcePath(gvr.podMetrics, namespace)}${query}`);
    } catch (err) {
      const missing = err instanceof ApiResponseError && err.status === 404;
      const text = missing ? 'the server could not find the requested resource (get pods.metrics.k8s.io)' : serverMessage(err);
      throw new MetricError(
        'FailedGetResourceMetric',
        `failed to get ${resource} utilization: unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${text}`,
      );
    }
    const out = new Map<string, number>();
    for (const item of list.items) {
      let total = 0;
      let found = false;
      for (const c of item.containers ?? []) {
        const q = parseQuantity(c.usage?.[resource]);
        if (!q) continue;
        found = true;
        total += resource === 'cpu' ? milliValue(q) : integerValue(q);
      }
      if (found) out.set(item.metadata.name, total);
    }
    return out;
  }

  private samples(namespace: string, selectorText: string, resource: string, usage: Map<string, number>): PodSample[] {
    const selector = parseLabelSelector(selectorText);
    const out: PodSample[] = [];
    for (const pod of this.pods.store.listNamespace(namespace)) {
      if (!selector.matches(pod.metadata.labels ?? {})) continue;
      if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') continue;
      let request: number | undefined = 0;
      for (const c of pod.spec?.containers ?? []) {
        const q = parseQuantity(c.resources?.requests?.[resource]);
        if (!q) {
          request = undefined;
          break;
        }
        request += resource === 'cpu' ? milliValue(q) : integerValue(q);
      }
      const ready = isPodReady(pod);
      out.push({ name: pod.metadata.name, ready, request, usage: usage.get(pod.metadata.name) });
    }
    return out;
  }

  private async writeStatus(hpa: Cached<HorizontalPodAutoscaler>, status: NonNullable<HorizontalPodAutoscaler['status']>): Promise<void> {
    const next = {
      ...status,
      ...(hpa.status?.lastScaleTime && !status.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
      observedGeneration: hpa.metadata.generation ?? 0,
    };
    const old = hpa.status;
    if (
      old &&
      old.currentReplicas === next.currentReplicas &&
      old.desiredReplicas === next.desiredReplicas &&
      jsonEqual(old.currentMetrics ?? [], next.currentMetrics ?? []) &&
      jsonEqual(
        (old.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
        next.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      ) &&
      old.observedGeneration === next.observedGeneration
    ) {
      return;
    }
    await this.ctx.client.update(resourcePath(gvr.horizontalPodAutoscalers, hpa.metadata.namespace, hpa.metadata.name, 'status'), { ...hpa, status: next });
  }
}

function key(h: KubeObject): string {
  return `${h.metadata.namespace ?? ''}/${h.metadata.name}`;
}
