// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the
// holder renews the lease every retry period; another candidate takes it over only after it has
// seen the same record unchanged for a whole lease duration (its own clock, no clock skew issue).
// Losing the lease (no renewal within the renew deadline) aborts the leader's work.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { log } from '../log/index.js';
import { sleep } from './sleep.js';
import { ApiResponseError, type ApiClient } from './api-client.js';
import { kubeMicroTime } from '../api/index.js';
import { gvr } from './gvr.js';
import { resourcePath } from './resource-path.js';

export interface LeaderElectionOptions {
  readonly name: string;
  readonly namespace?: string;
  /** Unique per process; default `<hostname>_<uuid>` as kube components use. */
  readonly identity?: string;
  readonly leaseDurationSeconds?: number;
  readonly renewDeadlineSeconds?: number;
  readonly retryPeriodSeconds?: number;
}

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/**
 * Campaigns for the lease until the signal aborts; while this process leads, `lead` runs with a
 * signal that aborts when leadership is lost or the outer signal aborts. On shutdown the lease is
 * released so another candidate takes over at once.
 */
export async function runWithLeaderElection(
  client: ApiClient,
  options: LeaderElectionOptions,
  lead: (signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const elector = new LeaderElector(client, options);
  while (!signal.aborted) {
    if (!(await elector.acquire(signal))) break;
    log.info('Became leader', { lease: options.name, identity: elector.identity });
    const leading = new AbortController();
    // The leader's whole component (its informers, workers and requests) waits on this one signal.
    setMaxListeners(0, leading.signal);
    const onAbort = () => leading.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const work = lead(leading.signal).catch((err: unknown) => log.error('Leader work failed', err, { lease: options.name }));
    await elector.renewUntilLost(leading.signal);
    leading.abort();
    signal.removeEventListener('abort', onAbort);
    await work;
    if (signal.aborted) {
      await elector.release();
      break;
    }
    log.warning('Lost leadership', { lease: options.name, identity: elector.identity });
  }
}

export class LeaderElector {
  readonly identity: string;
  private readonly namespace: string;
  private readonly duration: number;
  private readonly renewDeadline: number;
  private readonly retry: number;
  private observed: { record: string; at: number } | undefined;
  private current: Lease | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly options: LeaderElectionOptions,
  ) {
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.namespace = options.namespace ?? 'kube-system';
    this.duration = (options.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadline = (options.renewDeadlineSeconds ?? 10) * 1000;
    this.retry = (options.retryPeriodSeconds ?? 2) * 1000;
  }

  private get path(): string {
    return resourcePath(gvr.leases, this.namespace);
  }

  /** Tries every retry period until this process holds the lease; false if the signal aborted first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew().catch((err: unknown) => this.transient(err))) return true;
      await sleep(this.retry * (1 + Math.random() * 0.2), signal);
    }
    return false;
  }

  /** Renews every retry period; returns when a renewal has not succeeded within the renew deadline. */
  async renewUntilLost(signal: AbortSignal): Promise<void> {
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.retry, signal);
      if (signal.aborted) return;
      if (await this.tryAcquireOrRenew().catch((err: unknown) => this.transient(err))) lastRenew = Date.now();
      else if (Date.now() - lastRenew > this.renewDeadline) return;
      else if (this.current?.spec?.holderIdentity !== this.identity) return;
    }
  }

  /** Gives the lease up so the next candidate need not wait for it to expire. */
  async release(): Promise<void> {
    const lease = this.current;
    if (!lease || lease.spec?.holderIdentity !== this.identity) return;
    const spec: LeaseSpec = { ...lease.spec, holderIdentity: null, acquireTime: null, renewTime: kubeMicroTime(), leaseDurationSeconds: 1 };
    await this.client.update(`${this.path}/${encodeURIComponent(this.options.name)}`, { ...lease, spec }).catch(() => undefined);
  }

  private transient(err: unknown): false {
    if (!(err instanceof ApiResponseError && err.status === 409)) log.error('Leader election request failed', err, { lease: this.options.name });
    return false;
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = kubeMicroTime();
    let lease: Lease;
    try {
      lease = await this.client.get<Lease>(`${this.path}/${encodeURIComponent(this.options.name)}`);
    } catch (err) {
      if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
      this.current = await this.client.create<Lease>(this.path, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.options.name, namespace: this.namespace },
        spec: { holderIdentity: this.identity, leaseDurationSeconds: this.duration / 1000, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      });
      return true;
    }
    this.current = lease;
    const spec = lease.spec ?? {};
    const record = JSON.stringify(spec);
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
    const holder = spec.holderIdentity ?? '';
    const held = holder !== '' && holder !== this.identity;
    const leaseMs = (spec.leaseDurationSeconds ?? this.duration / 1000) * 1000;
    if (held && this.observed.at + leaseMs > Date.now()) return false;
    const mine = holder === this.identity;
    const next: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.duration / 1000,
      acquireTime: mine ? (spec.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
    };
    this.current = await this.client.update<Lease>(`${this.path}/${encodeURIComponent(this.options.name)}`, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: lease.metadata,
      spec: next,
    });
    this.observed = { record: JSON.stringify(this.current.spec ?? {}), at: Date.now() };
    return true;
  }
}
