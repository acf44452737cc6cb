// The two timestamp forms of the Kubernetes API: Time (RFC 3339, whole seconds) for conditions and
// container states, MicroTime (six fractional digits) for Lease renewals.

export function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function kubeMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
