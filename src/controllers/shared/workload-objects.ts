// The objects controllers read from their informers, typed once: `Cached<T>` is an API type as the
// cache holds it (with the name and metadata every object has), and each kind the controllers
// share has its alias here, with the resource it is served at.
import type { ControllerRevision, DaemonSet, Deployment, DeploymentStatus, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { Node, PersistentVolumeClaim, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Cached, KubeObject } from '../../client/index.js';

export type PodObject = Cached<Pod>;
export type NodeObject = Cached<Node>;
export type ClaimObject = Cached<PersistentVolumeClaim>;
export type StatefulSetObject = Cached<StatefulSet>;
export type DaemonSetObject = Cached<DaemonSet>;
export type RevisionObject = Cached<ControllerRevision>;
export type JobObject = Cached<Job>;
export type CronJobObject = Cached<CronJob>;
/** A Deployment with the 1.35 status field kubernetes-types lacks. */
export type DeploymentObject = Cached<Deployment & { status?: DeploymentStatus & { terminatingReplicas?: number } }>;

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

export type ReplicaSetObject = ReplicatedObject;
