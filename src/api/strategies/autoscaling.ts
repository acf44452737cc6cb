// The HorizontalPodAutoscaler strategy, on the stored autoscaling/v2 shape: minReplicas, the
// default CPU metric and scaling behaviour defaults, and replica bounds and metric checks.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, objItems, arrAt, strAt, numAt, setDefault } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { isValidPathSegmentName } from './name-validation.js';
import { validateEnum } from './field-rules.js';
import { isRecord } from '../../lang/index.js';

const spec = FieldPath.root('spec');
const DEFAULT_CPU_UTILIZATION = 80;
const MAX_STABILIZATION_WINDOW = 3600;

function defaultRules(rules: Obj, stabilization: number | undefined, policies: readonly Obj[]): void {
  if (stabilization !== undefined) setDefault(rules, 'stabilizationWindowSeconds', stabilization);
  setDefault(rules, 'selectPolicy', 'Max');
  setDefault(
    rules,
    'policies',
    policies.map((p) => ({ ...p })),
  );
}

function defaultHpa(hpa: Obj): void {
  const s = ensureObj(hpa, 'spec');
  setDefault(s, 'minReplicas', 1);
  if (arrAt(s, 'metrics').length === 0) {
    s['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  const behavior = objAt(s, 'behavior');
  if (behavior) {
    defaultRules(ensureObj(behavior, 'scaleUp'), 0, [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    // The scale-down window stays unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
    defaultRules(ensureObj(behavior, 'scaleDown'), undefined, [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  }
}

function validateTarget(target: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = strAt(target, 'type');
  errs.push(...validateEnum(type, path.child('type'), ['AverageValue', 'Utilization', 'Value']));
  const utilization = numAt(target, 'averageUtilization');
  if (utilization !== undefined && utilization <= 0) errs.push(path.child('averageUtilization').invalid(utilization, 'must be greater than 0'));
  if (type === 'Utilization' && utilization === undefined)
    errs.push(path.child('averageUtilization').required('must set either a target raw value or a target utilization'));
  if (type === 'Value' && target?.['value'] === undefined)
    errs.push(path.child('value').required('must set either a target value for metric or a per-pod target'));
  if (type === 'AverageValue' && target?.['averageValue'] === undefined)
    errs.push(path.child('averageValue').required('must set either a target value for metric or a per-pod target'));
  return errs;
}

const metricSources: Record<string, string> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

function validateMetric(metric: Readonly<Obj>, path: FieldPath): FieldError[] {
  const type = strAt(metric, 'type');
  const errs = validateEnum(type, path.child('type'), Object.keys(metricSources).sort());
  const key = metricSources[type];
  if (!key) return errs;
  const source = objAt(metric, key);
  if (!source) return [...errs, path.child(key).required(`must populate information for the given metric source`)];
  for (const other of Object.values(metricSources)) {
    if (other !== key && isRecord(metric[other])) errs.push(path.child(other).forbidden('must populate the given metric source only'));
  }
  if (key === 'resource' || key === 'containerResource') {
    if (!strAt(source, 'name')) errs.push(path.child(key).child('name').required());
    if (key === 'containerResource' && !strAt(source, 'container')) errs.push(path.child(key).child('container').required());
  } else if (!strAt(objAt(source, 'metric'), 'name')) {
    errs.push(path.child(key).child('metric').child('name').required());
  }
  errs.push(...validateTarget(objAt(source, 'target'), path.child(key).child('target')));
  return errs;
}

function validateRules(rules: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = numAt(rules, 'stabilizationWindowSeconds');
  if (window !== undefined) {
    if (window < 0) errs.push(path.child('stabilizationWindowSeconds').invalid(window, 'must be greater than or equal to zero'));
    if (window > MAX_STABILIZATION_WINDOW)
      errs.push(path.child('stabilizationWindowSeconds').invalid(window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW}`));
  }
  const select = strAt(rules, 'selectPolicy');
  if (select) errs.push(...validateEnum(select, path.child('selectPolicy'), ['Disabled', 'Max', 'Min']));
  for (const [policy, i] of objItems(rules, 'policies')) {
    const p = path.child('policies').index(i);
    errs.push(...validateEnum(strAt(policy, 'type'), p.child('type'), ['Percent', 'Pods']));
    const value = numAt(policy, 'value') ?? 0;
    if (value <= 0) errs.push(p.child('value').invalid(value, 'must be greater than zero'));
    const period = numAt(policy, 'periodSeconds') ?? 0;
    if (period <= 0) errs.push(p.child('periodSeconds').invalid(period, 'must be greater than zero'));
    else if (period > 1800) errs.push(p.child('periodSeconds').invalid(period, 'must be less than or equal to 1800'));
  }
  return errs;
}

function validateHpa(hpa: Readonly<Obj>): FieldError[] {
  const s = objAt(hpa, 'spec') ?? {};
  const errs: FieldError[] = [];
  const ref = objAt(s, 'scaleTargetRef') ?? {};
  const rp = spec.child('scaleTargetRef');
  for (const key of ['kind', 'name']) {
    const v = strAt(ref, key);
    if (!v) errs.push(rp.child(key).required());
    else errs.push(...isValidPathSegmentName(v).map((m) => rp.child(key).invalid(v, m)));
  }
  const min = numAt(s, 'minReplicas');
  const max = numAt(s, 'maxReplicas') ?? 0;
  if (min !== undefined && min < 1) errs.push(spec.child('minReplicas').invalid(min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(spec.child('maxReplicas').invalid(max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(spec.child('maxReplicas').invalid(max, 'must be greater than or equal to `minReplicas`'));
  for (const [metric, i] of objItems(s, 'metrics')) errs.push(...validateMetric(metric, spec.child('metrics').index(i)));
  const behavior = objAt(s, 'behavior');
  errs.push(...validateRules(objAt(behavior, 'scaleUp'), spec.child('behavior').child('scaleUp')));
  errs.push(...validateRules(objAt(behavior, 'scaleDown'), spec.child('behavior').child('scaleDown')));
  return errs;
}

export const horizontalPodAutoscalerStrategy = defineStrategy({
  statusSubresource: true,
  initialStatus: () => ({ desiredReplicas: 0 }),
  defaults: defaultHpa,
  validate: validateHpa,
});
