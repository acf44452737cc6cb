// Server-side apply: field sets over a schema, the merge of applied configurations, and field
// ownership in metadata.managedFields. The PATCH handler calls serverSideApply.
export { serverSideApply, sortEntries, unownedMetadata, type ApplyInput, type ManagedFieldsEntry } from './apply.js';
export { FieldSet, pathString } from './field-set.js';
export { factsSchema, structuralSchema, type ApplySchema, type SchemaNode } from './schema.js';
export { changedPaths, childNode, fieldSetOf, itemElement, mergeValue, removeFields } from './walk.js';
