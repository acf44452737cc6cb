// What every controller gets from the controller manager: the API client, the shared informers,
// event recorders per component name, and the cluster settings some controllers need.
import type { ApiClient, EventRecorder, InformerFactory } from '../../client/index.js';

export interface ControllerConfig {
  readonly clusterCidr: string;
  readonly serviceCidr: string;
  /** Size of each node's pod CIDR (kube-controller-manager's --node-cidr-mask-size, default 24). */
  readonly nodeCidrMaskSize: number;
  /** How long a node may stay silent before it is Unknown (--node-monitor-grace-period, default 40 s). */
  readonly nodeMonitorGracePeriodSeconds?: number;
  /** kube-controller-manager's --controllers: '*' all, 'foo' enables foo, '-foo' disables it (absent: all). */
  readonly controllers?: readonly string[];
}

export interface ControllerContext {
  readonly client: ApiClient;
  readonly informers: InformerFactory;
  readonly recorder: (component: string) => EventRecorder;
  readonly config: ControllerConfig;
}
