// Label and field selectors as kube-apiserver parses, validates and matches them.
// Other folders import selectors only through this entry.
export { LabelSelector, parseLabelSelector, type LabelOperator, type LabelRequirement, type Labels } from './label-selector.js';
export { labelSelectorFromObject } from './label-selector-object.js';
export { FieldSelector, parseFieldSelector, escapeFieldValue, type FieldRequirement } from './field-selector.js';
export { selectableFieldsFor, type SelectableFieldOptions, type SelectableFields } from './selectable-fields.js';
export { labelKeyErrors, labelValueErrors } from './label-syntax.js';
