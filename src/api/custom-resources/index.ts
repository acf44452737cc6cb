// Public entry of custom resources: the CRD strategy, the run-time resource registry, and the
// structural-schema operations (validation, pruning, defaulting) that serving objects needs.
export { customResourceDefinitionStrategy, cleanupFinalizer, versionSchema } from './crd-strategy.js';
export { dynamicResources, DynamicResources } from './dynamic-resources.js';
export { customResourceInfos, compareVersions } from './custom-resource-info.js';
export type { CustomResourceInfo, CustomPrinterColumn, ScalePaths } from '../resource-info.js';
export { validateAgainstSchema, pruneUnknownFields, applyDefaults, hasDefaults, type StructuralSchema } from './structural-schema.js';
export { customScale, readPath, writePath } from './scale-paths.js';
