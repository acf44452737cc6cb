// The registry of resources defined at run time (custom resources from established CRDs). The
// static catalogue in resources.ts consults it, so discovery, routing, OpenAPI and storage see
// custom resources exactly as they see built-in ones.
import type { ResourceInfo } from '../resource-info.js';

type Listener = () => void;

export class DynamicResources {
  private readonly byOwner = new Map<string, readonly ResourceInfo[]>();
  private flat: readonly ResourceInfo[] = [];
  private readonly listeners = new Set<Listener>();
  /** Bumped on every change: a cheap test for caches built from the catalogue. */
  generation = 0;

  /** Replaces the resources an owner (a CRD's name) serves; an empty list removes them. */
  set(owner: string, infos: readonly ResourceInfo[]): void {
    if (infos.length) this.byOwner.set(owner, infos);
    else if (!this.byOwner.delete(owner)) return;
    this.flat = [...this.byOwner.values()].flat();
    this.generation++;
    for (const l of this.listeners) l();
  }

  list(): readonly ResourceInfo[] {
    return this.flat;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The one registry of this process's API server. */
export const dynamicResources = new DynamicResources();
