// ControllerRevisions as the StatefulSet and DaemonSet controllers keep them: a snapshot of the
// pod template per distinct template, named `<owner>-<hash>`, numbered in order of use, and
// trimmed to revisionHistoryLimit once no live pod runs an old one.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { ApiResponseError, resourcePath, type ApiClient, type KubeObject, gvr } from '../../client/index.js';
import { controllerReference } from './controller-ref.js';
import { type RevisionObject } from './workload-objects.js';

export const revisionHashLabel = 'controller-revision-hash';

/** kube's rand.SafeEncodeString alphabet: no vowels, no look-alike digits. */
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a 32-bit of the text, as kube hashes revisions and templates. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A hash in kube's form: the decimal FNV value spelled in the safe alphabet (e.g. `5d4f8c9b7`). */
export function safeHash(data: unknown, collisionCount = 0): string {
  const sum = fnv32a(JSON.stringify(data) + (collisionCount ? `#${collisionCount}` : ''));
  return [...String(sum)].map((c) => safeAlphabet[c.charCodeAt(0) % safeAlphabet.length]!).join('');
}

/** What a revision stores: the template as a patch that replaces it. */
export function revisionData(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

export function revisionTemplate(revision: RevisionObject): PodTemplateSpec | undefined {
  const data = revision.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
  const t = data?.spec?.template;
  if (!t) return undefined;
  const { $patch: _, ...template } = t;
  return template;
}

interface Owner extends KubeObject {
  spec?: { template?: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
}

/**
 * Finds or creates the revision of the owner's current template among its revisions (sorted by
 * number); an equal old revision is renumbered to be the newest rather than duplicated.
 */
export async function ensureRevision(
  client: ApiClient,
  owner: Owner,
  kind: string,
  revisions: readonly RevisionObject[],
): Promise<{ revision: RevisionObject; hash: string }> {
  const data = revisionData(owner.spec?.template);
  const collisionCount = owner.status?.collisionCount ?? 0;
  const hash = safeHash(data, collisionCount);
  const name = `${owner.metadata.name.slice(0, 223)}-${hash}`;
  const newest = revisions.reduce((n, r) => Math.max(n, r.revision), 0);
  const equal = revisions.find((r) => JSON.stringify(r.data) === JSON.stringify(data));
  const namespace = owner.metadata.namespace ?? '';
  if (equal) {
    if (equal.revision === newest) return { revision: equal, hash: equal.metadata.labels?.[revisionHashLabel] ?? hash };
    const updated = await client.patch<RevisionObject>(
      resourcePath(gvr.controllerRevisions, namespace, equal.metadata.name),
      { revision: newest + 1 },
      'merge',
    );
    return { revision: updated, hash: equal.metadata.labels?.[revisionHashLabel] ?? hash };
  }
  const body: RevisionObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace,
      labels: { ...(owner.spec?.template?.metadata?.labels ?? {}), [revisionHashLabel]: hash },
      ownerReferences: [controllerReference(owner, 'apps/v1', kind)],
    },
    data,
    revision: newest + 1,
  };
  try {
    return { revision: await client.create<RevisionObject>(resourcePath(gvr.controllerRevisions, namespace), body), hash };
  } catch (err) {
    if (!(err instanceof ApiResponseError && err.status === 409)) throw err;
    // A revision of that name exists: ours from a sync the informer has not shown yet, or a
    // different template with the same hash, which kube resolves by bumping collisionCount.
    const existing = await client.get<RevisionObject>(resourcePath(gvr.controllerRevisions, namespace, name));
    if (JSON.stringify(existing.data) === JSON.stringify(data)) return { revision: existing, hash };
    await client.patch(
      resourcePath({ group: 'apps', version: 'v1', resource: `${kind.toLowerCase()}s` }, namespace, owner.metadata.name, 'status'),
      { status: { collisionCount: collisionCount + 1 } },
      'merge',
    );
    throw new Error(`hash collision on ControllerRevision ${name}; retrying with collisionCount ${collisionCount + 1}`);
  }
}

/** Deletes the oldest revisions beyond the limit that no live pod and no status names. */
export async function trimHistory(client: ApiClient, revisions: readonly RevisionObject[], limit: number, inUse: ReadonlySet<string>): Promise<void> {
  const removable = revisions.filter((r) => !inUse.has(r.metadata.name)).sort((a, b) => a.revision - b.revision);
  const excess = removable.length - limit;
  for (const r of removable.slice(0, Math.max(0, excess))) {
    try {
      await client.delete(resourcePath(gvr.controllerRevisions, r.metadata.namespace, r.metadata.name));
    } catch (err) {
      if (!(err instanceof ApiResponseError && err.status === 404)) throw err;
    }
  }
}
