// Language-level primitives every part of Skiff uses: the text of anything thrown, JSON value
// narrowing and equality, and deep read-only types for cached objects.
export { asError, errorMessage } from './error-message.js';
export { isRecord, jsonEqual } from './json-value.js';
export type { DeepReadonly } from './deep-readonly.js';
