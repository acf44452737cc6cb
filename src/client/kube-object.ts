// The shape every Kubernetes object shares, as far as the client machinery reads it: objects stay
// plain JSON; controllers narrow them with the types of `kubernetes-types`.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { DeepReadonly } from '../lang/index.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & { name: string };
}

/** An object as an informer's cache holds it: its API type with the metadata every object has. */
export type Cached<T> = T & KubeObject;

/**
 * The same, read-only all the way down, as the cache shares it with every reader: copy it
 * (structuredClone) before changing it. Informers take either form.
 */
export type ReadonlyCached<T> = DeepReadonly<Cached<T>>;

/** What an informer may cache: any object with metadata, read-only or not. */
export type CachedObject = DeepReadonly<KubeObject>;
