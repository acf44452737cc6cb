// Shared helpers for integration tests: real client programs, a kubectl runner with isolated
// caches, and real `skiff server` processes that clean up after themselves.

export { clientCacheDir, clientNodeRuntime, clientPath, helm4, kubectl120, kubectl132, kubectl135, python3Kubernetes } from './clients.js';
export type { ClientTool } from './clients.js';
export { withDirectoryLock } from './directory-lock.js';
export { runKubectl, runProgram } from './kubectl.js';
export { kubectlSession, type KubectlSession } from './kubectl-session.js';
export { runHelm } from './helm.js';
export type { KubectlOptions, KubectlResult } from './kubectl.js';
export { repoRoot } from './repo-root.js';
export { startServer } from './server.js';
export type { ServerOptions, TestServer } from './server.js';
export { rawClient, tlsCredentials, type RawClient, type RawResponse, type TlsCredentials } from './api-client.js';
export { startEtcd, type TestEtcd } from './etcd.js';
export { startSim, type TestSim } from './sim.js';
export { workloadSession, type WorkloadSession } from './workload-session.js';
