// An int-or-percent such as maxSurge, maxUnavailable or minAvailable (`1` or `"25%"`) in pods, as
// kube's intstr.GetScaledValueFromIntOrPercent resolves it for the Deployment, DaemonSet,
// StatefulSet and disruption controllers. Validation lets only ints and "N%" through; anything else
// is refused with kube's error, and each caller decides what an unset value means.

/** `value` in pods against `total`: "25%" of 10 is 3 rounded up, 2 rounded down. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits))
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const exact = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
