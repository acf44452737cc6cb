// Public entry of the endpoint controllers: a Service's Endpoints and its EndpointSlices.
export { EndpointsController } from './endpoints-controller.js';
export { EndpointSliceController } from './endpointslice-controller.js';
