// Turns a metav1.LabelSelector object (matchLabels + matchExpressions), as found in Deployment,
// ReplicaSet, Job or NetworkPolicy specs, into a LabelSelector, with kube's validation errors.
import type { FieldError, FieldPath } from '../field-errors.js';
import { labelKeyErrors, labelValueErrors } from './label-syntax.js';
import { checkRequirement, LabelSelector, type LabelOperator, type LabelRequirement } from './label-selector.js';
import { isRecord } from '../../lang/index.js';

const expressionOperators: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Validates and converts a metav1.LabelSelector. A missing (null/undefined) selector selects
 * nothing and an empty one selects everything, as LabelSelectorAsSelector decides. When `errors`
 * is non-empty the selector is the best effort over the valid parts and should not be trusted.
 */
export function labelSelectorFromObject(obj: unknown, path: FieldPath): { selector: LabelSelector; errors: FieldError[] } {
  if (obj === null || obj === undefined) return { selector: LabelSelector.nothing(), errors: [] };
  if (!isRecord(obj)) return { selector: LabelSelector.nothing(), errors: [path.invalid(obj, 'must be an object')] };
  const errors: FieldError[] = [];
  const requirements: LabelRequirement[] = [];

  const matchLabels = obj['matchLabels'];
  const labelsPath = path.child('matchLabels');
  if (isRecord(matchLabels)) {
    for (const key of Object.keys(matchLabels).sort()) {
      const value = matchLabels[key];
      if (typeof value !== 'string') {
        errors.push(labelsPath.key(key).invalid(value, 'must be a string'));
        continue;
      }
      // Kube reports matchLabels problems at `matchLabels` itself, not per key.
      for (const message of labelKeyErrors(key)) errors.push(labelsPath.invalid(key, message));
      for (const message of labelValueErrors(value)) errors.push(labelsPath.invalid(value, message));
      requirements.push({ key, operator: '=', values: [value] });
    }
  } else if (matchLabels !== undefined && matchLabels !== null) {
    errors.push(labelsPath.invalid(matchLabels, 'must be an object'));
  }

  const expressions = obj['matchExpressions'];
  const expressionsPath = path.child('matchExpressions');
  if (Array.isArray(expressions)) {
    expressions.forEach((expr: unknown, i) => {
      const at = expressionsPath.index(i);
      if (!isRecord(expr)) {
        errors.push(at.invalid(expr, 'must be an object'));
        return;
      }
      const key = typeof expr['key'] === 'string' ? expr['key'] : '';
      const operatorText = typeof expr['operator'] === 'string' ? expr['operator'] : '';
      const rawValues: unknown[] = Array.isArray(expr['values']) ? (expr['values'] as unknown[]) : [];
      const values = rawValues.map((v) => (typeof v === 'string' ? v : String(v)));
      const operator = expressionOperators[operatorText];
      const before = errors.length;
      if (operator === 'in' || operator === 'notin') {
        if (values.length === 0) errors.push(at.child('values').required("must be specified when `operator` is 'In' or 'NotIn'"));
      } else if (operator === 'exists' || operator === '!') {
        if (values.length > 0) errors.push(at.child('values').forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      } else {
        errors.push(at.child('operator').invalid(operatorText, 'not a valid selector operator'));
      }
      for (const message of labelKeyErrors(key)) errors.push(at.child('key').invalid(key, message));
      values.forEach((v, j) => {
        for (const message of labelValueErrors(v)) errors.push(at.child('values').index(j).invalid(v, message));
      });
      if (operator && errors.length === before && checkRequirement(key, operator, values).length === 0) {
        requirements.push({ key, operator, values: [...new Set(values)].sort() });
      }
    });
  } else if (expressions !== undefined && expressions !== null) {
    errors.push(expressionsPath.invalid(expressions, 'must be an array'));
  }

  return { selector: LabelSelector.of(requirements), errors };
}
