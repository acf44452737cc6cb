// Public entry of the client machinery used by every component beside the API server: the API
// client, shared informers and their stores, the work queue, events and leader election.
export { ApiClient, ApiResponseError, type ApiClientOptions, type WatchEventLine, type PatchType, type DeleteOptions } from './api-client.js';
export type { Cached, CachedObject, KubeObject, ReadonlyCached } from './kube-object.js';
export { groupVersionPath, resourcePath, objectKey, splitKey, type GroupVersionResource } from './resource-path.js';
export { gvr } from './gvr.js';
export { ObjectStore, type IndexFunction } from './object-store.js';
export { Informer, stripManagedFields, type InformerHandler, type InformerOptions } from './informer.js';
export { InformerFactory, type InformerFactoryOptions } from './informer-factory.js';
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { EventRecorder, type EventType } from './event-recorder.js';
export { runWithLeaderElection, LeaderElector, type LeaderElectionOptions } from './leader-election.js';
export { sleep } from './sleep.js';
export { loadKubeconfig } from './kubeconfig.js';
