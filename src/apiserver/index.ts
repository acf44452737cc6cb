// Public entry of the API server: the server itself, the HTTP(S) servers that front it and the
// in-process connection components use, its metrics, and the storage key layout. Other folders
// import src/apiserver only through this file.
export { ApiServer, type ApiServerConfig } from './apiserver.js';
export { createHttpServer, createLocalHttpServer, type HttpServerOptions } from './http-server.js';
export { connectInProcess } from './in-process-connection.js';
export { ApiMetrics, storageType } from './metrics/index.js';
export { resourcePrefix } from './storage-keys.js';
