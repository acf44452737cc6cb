// The shapes the workload controllers read: pods, ReplicaSets, ReplicationControllers and
// Deployments as plain JSON, narrowed with kubernetes-types plus the 1.35 status fields it lacks.
import type { Deployment as AppsDeployment, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod as CorePod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../client/index.js';

export type Pod = CorePod & KubeObject;

export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The status ReplicaSets and ReplicationControllers share (RCs have no terminatingReplicas). */
export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  terminatingReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

/** A ReplicaSet or a ReplicationController: the selector is a LabelSelector or a plain map. */
export interface ReplicatedObject extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: PodTemplateSpec };
  status?: ReplicaStatus;
}

export type ReplicaSet = ReplicatedObject;

export type Deployment = AppsDeployment & KubeObject & { status?: DeploymentStatus & { terminatingReplicas?: number } };

export type { OwnerReference, PodTemplateSpec };
