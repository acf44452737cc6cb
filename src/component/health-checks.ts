// The health checks of one process, gathered from its components as they start: the API server
// serves them at /healthz, /livez and /readyz, and lists the component ones as componentstatuses.
import type { HealthCheck, HealthEndpoint } from './component.js';
import { errorMessage } from '../lang/index.js';

export class HealthChecks {
  /** `ping` comes first, as in kube: the process answers at all. */
  private readonly checks: HealthCheck[] = [{ name: 'ping', endpoints: ['healthz', 'livez', 'readyz'], check: () => undefined }];

  add(checks: readonly HealthCheck[]): void {
    for (const c of checks) {
      if (this.checks.some((o) => o.name === c.name && o.endpoints.some((e) => c.endpoints.includes(e)))) throw new Error(`two health checks named ${c.name}`);
      this.checks.push(c);
    }
  }

  /** The checks an endpoint lists, in the order they were added. */
  of(endpoint: HealthEndpoint): HealthCheck[] {
    return this.checks.filter((c) => c.endpoints.includes(endpoint));
  }

  /** The checks `kubectl get componentstatuses` lists: the last started first, so the datastore comes last as in kube. */
  componentStatuses(): HealthCheck[] {
    return this.checks.filter((c) => c.componentStatus !== undefined).reverse();
  }
}

/** Runs a check: undefined when it passed, else the reason it failed. */
export async function runCheck(check: HealthCheck): Promise<string | undefined> {
  try {
    await check.check();
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}
