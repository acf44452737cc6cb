// The timestamp forms of the Kubernetes API, in UTC: Time (RFC 3339, whole seconds) for object
// metadata, conditions and container states; MicroTime (six fractional digits) for Lease renewals
// and events.k8s.io eventTime.

export function kubeTime(at: number | Date = Date.now()): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function kubeMicroTime(at: number | Date = Date.now()): string {
  return new Date(at).toISOString().replace(/Z$/, '000Z');
}
