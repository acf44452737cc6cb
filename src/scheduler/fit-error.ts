// kube-scheduler's FailedScheduling message: "0/N nodes are available: <count> <reason>, ..." with the
// per-node filter reasons counted and sorted as strings, then the PostFilter (preemption) message.
import type { Status } from './framework.js';

/** The message for a pod no node passed, as FitError.Error() words it. */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, preFilterMessage = '', postFilterMessage = ''): string {
  let message = `0/${numAllNodes} nodes are available:`;
  if (preFilterMessage) {
    message += ` ${preFilterMessage}.`;
  } else {
    const histogram = reasonHistogram(statuses);
    if (histogram.length) message += ` ${histogram.join(', ')}.`;
  }
  if (postFilterMessage) message += ` ${postFilterMessage}`;
  return message;
}

/** "<count> <reason>" for every distinct reason, sorted as Go's sort.Strings sorts them (bytewise). */
export function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of statuses) for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder);
}

function byteOrder(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}
