// An intOrString such as maxSurge or maxUnavailable (`1` or `"25%"`) in pods, as the DaemonSet and
// StatefulSet controllers resolve it.

/** An intOrString such as maxUnavailable (`1` or `"25%"`) scaled against a total. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number.parseInt(value, 10) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
