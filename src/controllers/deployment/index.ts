// Public entry of the Deployment controller: ReplicaSets per template, rolled out and scaled.
export { DeploymentController } from './deployment-controller.js';
