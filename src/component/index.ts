// Public entry of the component contract: what a part of a skiff process is, how a list of them
// starts and stops, and the health checks they report.
export type { Component, HealthCheck, HealthEndpoint, StartedComponent } from './component.js';
export { HealthChecks, runCheck } from './health-checks.js';
export { startComponents, whenAborted, type RunningComponents } from './start-components.js';
