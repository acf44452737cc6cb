// Public entry of the HorizontalPodAutoscaler controller: scale from resource metrics.
export { HorizontalPodAutoscalerController } from './horizontal-pod-autoscaler-controller.js';
