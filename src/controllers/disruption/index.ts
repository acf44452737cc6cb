// Public entry of the disruption controller: PodDisruptionBudget status from the pods it covers.
export { DisruptionController } from './disruption-controller.js';
