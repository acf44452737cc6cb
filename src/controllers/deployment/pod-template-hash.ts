// The pod-template-hash a Deployment gives each ReplicaSet it creates (the `<deployment>-<hash>`
// name and the label that keeps sibling ReplicaSets' pods apart), and template comparison that
// ignores that label. The hash is FNV-1a over the template's canonical JSON and the collision
// count, spelled in the consonant-and-digit alphabet kube uses so names look familiar.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

export const podTemplateHashLabel = 'pod-template-hash';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const feed = (bytes: Uint8Array) => {
    for (const b of bytes) {
      hash ^= b;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  feed(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount > 0) {
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, collisionCount, true);
    feed(count);
  }
  return [...String(hash >>> 0)].map((c) => alphabet[c.charCodeAt(0) % alphabet.length]).join('');
}

/** JSON with object keys sorted and empty values dropped, so equal templates hash equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value) ?? null);
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map((v) => normalize(v) ?? null) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

/** Equal pod templates once the pod-template-hash label is set aside (and empty values with it). */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
  return copy;
}
