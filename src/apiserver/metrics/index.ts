// Public entry of the API server's metrics: the kube-named registry and the /metrics handler.
export { observeRequest, requestLogVerbosity } from './observe-request.js';
export { ApiMetrics, reportedVerb, requestScope, type TrackedRequest, type ObjectCounter } from './api-metrics.js';
export { storageType } from './storage-type.js';
