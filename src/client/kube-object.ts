// The shape every Kubernetes object shares, as far as the client machinery reads it: objects stay
// plain JSON; controllers narrow them with the types of `kubernetes-types`.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & { name: string };
}
