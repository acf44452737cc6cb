// The contract every part of `skiff server` keeps (storage, API server, controller manager,
// scheduler, agent, add-ons): start with a stop signal and the dependencies, resolve once ready,
// and report health through checks that /healthz, /readyz, /livez and `kubectl get cs` read.

/** The health endpoints kube-apiserver serves; each check says which of them list it. */
export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export interface HealthCheck {
  /** Its name in `/readyz?verbose` and its own path (`/readyz/<name>`). */
  readonly name: string;
  readonly endpoints: readonly HealthEndpoint[];
  /** Resolves when healthy; rejects (or throws) with the reason when not. */
  check(): Promise<void> | void;
  /** Set when `kubectl get componentstatuses` lists this check, under this name (`scheduler`, `etcd-0`). */
  readonly componentStatus?: string;
}

/** What a started component hands back. */
export interface StartedComponent {
  readonly checks?: readonly HealthCheck[];
  /** Resolves once the component has let go of what it holds, after its signal aborted. */
  readonly stopped?: Promise<void>;
}

export interface Component<Deps> {
  /** The name `--disable` and the logs use. */
  readonly name: string;
  /** Starts the component; resolves once it is ready. It runs until the signal aborts. */
  start(signal: AbortSignal, deps: Deps): Promise<StartedComponent>;
}
