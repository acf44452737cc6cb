// Which printer serves which resource. Resources kube gives no printer (roles, limit ranges,
// and anything unknown here) get the default two-column table: Name and Created At.
import { column, nameColumn, type TablePrinter } from './columns.js';
import { podPrinter } from './pod-printer.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  horizontalPodAutoscalerPrinter,
  jobPrinter,
  podDisruptionBudgetPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workload-printers.js';
import { endpointSlicePrinter, endpointsPrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter, servicePrinter } from './network-printers.js';
import {
  certificateSigningRequestPrinter,
  componentStatusPrinter,
  eventPrinter,
  eventsApiEventPrinter,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  priorityClassPrinter,
  storageClassPrinter,
} from './cluster-printers.js';
import {
  clusterRoleBindingPrinter,
  configMapPrinter,
  resourceQuotaPrinter,
  roleBindingPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './config-printers.js';
import {
  apiServicePrinter,
  csiDriverPrinter,
  csiNodePrinter,
  flowSchemaPrinter,
  ipAddressPrinter,
  mutatingWebhookPrinter,
  priorityLevelPrinter,
  runtimeClassPrinter,
  serviceCIDRPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookPrinter,
  volumeAttachmentPrinter,
} from './platform-printers.js';
import { str } from './object-fields.js';
import { parseTimestamp } from './human-duration.js';
import { kubeTime } from '../../api/index.js';

/** Keyed by `group/resource`, with '' as the core group. */
const printers: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  ['/pods', podPrinter],
  ['/podtemplates', podTemplatePrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/namespaces', namespacePrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['/componentstatuses', componentStatusPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['autoscaling/horizontalpodautoscalers', horizontalPodAutoscalerPrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['networking.k8s.io/ingressclasses', ingressClassPrinter],
  ['networking.k8s.io/networkpolicies', networkPolicyPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['events.k8s.io/events', eventsApiEventPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['certificates.k8s.io/certificatesigningrequests', certificateSigningRequestPrinter],
  ['admissionregistration.k8s.io/mutatingwebhookconfigurations', mutatingWebhookPrinter],
  ['admissionregistration.k8s.io/validatingwebhookconfigurations', validatingWebhookPrinter],
  ['admissionregistration.k8s.io/validatingadmissionpolicies', validatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/validatingadmissionpolicybindings', validatingAdmissionPolicyBindingPrinter],
  ['apiregistration.k8s.io/apiservices', apiServicePrinter],
  ['flowcontrol.apiserver.k8s.io/flowschemas', flowSchemaPrinter],
  ['flowcontrol.apiserver.k8s.io/prioritylevelconfigurations', priorityLevelPrinter],
  ['node.k8s.io/runtimeclasses', runtimeClassPrinter],
  ['storage.k8s.io/csinodes', csiNodePrinter],
  ['storage.k8s.io/csidrivers', csiDriverPrinter],
  ['storage.k8s.io/volumeattachments', volumeAttachmentPrinter],
  ['networking.k8s.io/servicecidrs', serviceCIDRPrinter],
  ['networking.k8s.io/ipaddresses', ipAddressPrinter],
]);

/** Creation time in RFC 3339 UTC without fractions, as Go's time.RFC3339 layout prints it. */
function createdAt(value: unknown): string {
  const date = parseTimestamp(value);
  return date ? kubeTime(date) : '0001-01-01T00:00:00Z';
}

/** kube-apiserver's default convertor, used for every resource without a printer. */
export const defaultPrinter: TablePrinter = {
  columns: [nameColumn, column('Created At', 'date', 'When the object was created.')],
  row: (o) => [str(o, 'metadata.name'), createdAt(str(o, 'metadata.creationTimestamp'))],
};

export function printerFor(group: string, resource: string): TablePrinter {
  return printers.get(`${group}/${resource}`) ?? defaultPrinter;
}
