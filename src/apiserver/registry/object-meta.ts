// Small accessors for the metadata of untyped objects, shared by the registry's verbs.
import type { ObjectMap } from '../watch-cache.js';

export interface ObjectMetaView {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { uid: string; kind: string; name: string; apiVersion: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  managedFields?: ObjectMap[];
}

export function metaOf(obj: ObjectMap): ObjectMetaView {
  let meta = obj.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    meta = {};
    obj.metadata = meta;
  }
  return meta as ObjectMetaView;
}

export function readMeta(obj: Readonly<ObjectMap>): Readonly<ObjectMetaView> {
  const meta = obj.metadata;
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta : {};
}

/** RFC 3339 with seconds, as metav1.Time serialises. */

export function deepClone<T>(v: T): T {
  return structuredClone(v);
}

const generateAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Appends five random characters, as the name generator of kube-apiserver does. */
export function generateName(base: string): string {
  const maxBase = 63 - 5;
  let s = base.length > maxBase ? base.slice(0, maxBase) : base;
  for (let i = 0; i < 5; i++) s += generateAlphabet[Math.floor(Math.random() * generateAlphabet.length)];
  return s;
}
