// Rules for single fields that many strategies share: enumerations, non-negative numbers and
// int-or-percent values, each returning field errors at the path it is given.

import type { FieldError, FieldPath } from '../field-errors.js';
import { isValidPercent } from './name-validation.js';

export function validateEnum(value: string, path: FieldPath, allowed: readonly string[], required = true): FieldError[] {
  if (!value) return required ? [path.required()] : [];
  return allowed.includes(value) ? [] : [path.notSupported(value, allowed)];
}

export function validateNonNegativeField(value: unknown, path: FieldPath): FieldError[] {
  return typeof value === 'number' && value < 0 ? [path.invalid(value, 'must be greater than or equal to 0')] : [];
}

/**
 * An IntOrString that is a non-negative integer or a percentage, at most 100% unless `overHundred`
 * (a Deployment's maxSurge, which kube does not cap).
 */
export function validateIntOrPercent(value: unknown, path: FieldPath, overHundred = false): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    const errs = isValidPercent(value).map((m) => path.invalid(value, m));
    if (errs.length === 0 && !overHundred && Number.parseInt(value, 10) > 100) errs.push(path.invalid(value, 'must not be greater than 100%'));
    return errs;
  }
  return validateNonNegativeField(value, path);
}

/** Whether an IntOrString is zero (0 or "0%"). */
export function isZeroIntOrPercent(value: unknown): boolean {
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return /^0+%$/.test(value);
  return true;
}
