// What the garbage collector does with one object once each of its owners has been looked up,
// the way kube-controller-manager's attemptToDeleteItem decides: keep it while one owner is
// solid (dropping references to owners that are gone or waiting), otherwise delete it.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { foregroundFinalizer, orphanFinalizer } from './owner-graph.js';

/** An owner found live (`solid`), gone or replaced (`absent`), or being deleted in the foreground (`waiting`). */
export type OwnerState = 'solid' | 'absent' | 'waiting';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export type Decision =
  | { readonly action: 'keep' }
  /** Solid owners remain: drop the references to the others. */
  | { readonly action: 'removeReferences'; readonly uids: readonly string[] }
  /** No solid owner: delete it; first clear blockOwnerDeletion on `unblock` to break a wait cycle. */
  | { readonly action: 'delete'; readonly policy: Propagation; readonly unblock: readonly string[] };

export interface DecisionInput {
  readonly owners: readonly { readonly ref: OwnerReference; readonly state: OwnerState }[];
  readonly finalizers: readonly string[];
  readonly hasDependents: boolean;
  /** Whether one of its own dependents is itself waiting for its dependents (a possible cycle). */
  readonly dependentDeletingDependents: boolean;
}

export function decide(input: DecisionInput): Decision {
  if (!input.owners.length) return { action: 'keep' };
  const by = (s: OwnerState) => input.owners.filter((o) => o.state === s).map((o) => o.ref.uid);
  const solid = by('solid');
  const absent = by('absent');
  const waiting = by('waiting');
  if (solid.length) return absent.length || waiting.length ? { action: 'removeReferences', uids: [...absent, ...waiting] } : { action: 'keep' };
  if (waiting.length && input.hasDependents) {
    // Its owner waits for it, and it has dependents of its own: delete it in the foreground too,
    // so the wait passes down the chain. A dependent already waiting on it could close a cycle.
    const unblock = input.dependentDeletingDependents
      ? input.owners.filter((o) => o.state === 'waiting' && o.ref.blockOwnerDeletion === true).map((o) => o.ref.uid)
      : [];
    return { action: 'delete', policy: 'Foreground', unblock };
  }
  const policy: Propagation = input.finalizers.includes(orphanFinalizer)
    ? 'Orphan'
    : input.finalizers.includes(foregroundFinalizer)
      ? 'Foreground'
      : 'Background';
  return { action: 'delete', policy, unblock: [] };
}
