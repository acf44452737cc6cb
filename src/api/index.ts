// Public entry of the API model: the resource catalogue, the strategies that default and validate
// objects, selectors, the error catalogue, version conversion, codecs and the type facts. Other
// folders import src/api only through this file.
export { resources, allResources, findResource, resourcesOf, servedGroups, apiVersionOf, parseApiVersion } from './resources.js';
export type { ResourceInfo, SubresourceInfo, GroupVersion, CustomResourceInfo } from './resource-info.js';
export {
  dynamicResources,
  customResourceInfos,
  cleanupFinalizer,
  customScale,
  writePath,
  applyDefaults,
  pruneUnknownFields,
  type StructuralSchema,
} from './custom-resources/index.js';
export { strategyFor, names, podQosClass, type Strategy } from './strategies/index.js';
export { isDNS1123Subdomain } from './strategies/name-validation.js';
export { ApiError, type ResourceRef, type StatusCause } from './errors.js';
export { FieldPath, type FieldError } from './field-errors.js';
export {
  LabelSelector,
  FieldSelector,
  parseLabelSelector,
  parseFieldSelector,
  labelSelectorFromObject,
  selectableFieldsFor,
  type LabelRequirement,
  type SelectableFields,
} from './selectors/index.js';
export { fromStorageVersion, toStorageVersion, sharesStorageShape } from './conversion/index.js';
export { typedDecode, type DecodeOptions } from './typed-decode.js';
export {
  DecodeLimitError,
  echoInput,
  checkDecodedValue,
  boundedTree,
  checkJsonNesting,
  maxDecodedBytes,
  maxNestingDepth,
  yamlAliasListener,
} from './decode-limits.js';
export { goJsonShape } from './go-json.js';
export { goJsonWord } from './go-json-word.js';
export { rememberJsonSource } from './json-number-literals.js';
export { kubeTime, kubeMicroTime } from './kube-time.js';
export { nodeSelectorTermMatches, tolerates } from './node-matching.js';
export { podResourceTotals } from './pod-resources.js';
export {
  chargesUpdates,
  matchingResources,
  missingContainerResources,
  objectUsage,
  quotaMatches,
  type GroupResource,
  type ResourceUsage,
} from './quota-usage.js';
export { removedApiWarning } from './removed-apis.js';
export {
  typeFacts,
  typeNameForKind,
  type FactsCatalogue,
  type FieldFacts,
  type FieldType,
  type GroupVersionKind,
  type SpecialType,
  type TypeFacts,
} from './facts/index.js';
export { allSchemasV2, customResourceMetaSchemas, schemasForGroupVersion, type Schema } from './openapi-schemas/index.js';
export { encodeKubernetesProtobuf, decodeKubernetesProtobuf } from './protobuf/index.js';
export { ProtoWriter, WireType, readFields, type WireField } from './protobuf/wire.js';
export * from './resource-quantity.js';
