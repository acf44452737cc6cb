// Public entry of the API client used by components beside the API server.
export { ApiClient, ApiResponseError, type ApiClientOptions, type WatchEventLine } from './api-client.js';
