// JSON patch (RFC 6902, application/json-patch+json) with the semantics of evanphx/json-patch v4
// as kube-apiserver runs it, quirks included: `replace` of a missing object key adds it, negative
// array indices count from the end, a missing `value` means null, copying is capped at 3 MiB; and,
// as Skiff adds, the array elements all operations together may shift are capped at 32 Mi.
import { goJsonWord } from '../../api/index.js';
import { cannotUnmarshal } from './decode-body.js';
import { patchErrors } from './patch-errors.js';
import { cloneJson, getKey, hasKey, setKey, type JsonObject } from './json-value.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

/** kube-apiserver's maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** The apiserver's default JSONPatchMaxCopyBytes (evanphx AccumulatedCopySizeLimit). */
export const MAX_JSON_PATCH_COPY_BYTES = 3 * 1024 * 1024;
/**
 * How many array elements the operations of one patch may shift (inserting or removing anywhere
 * but the end moves the rest). Not a kube limit: there each request has its own goroutine, here
 * ten thousand inserts at the front of a million-element list would hold the event loop for seconds.
 */
export const MAX_JSON_PATCH_ELEMENT_SHIFTS = 32 * 1024 * 1024;

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

type Container = JsonObject | unknown[];

/** An operation failure: kube-apiserver answers these with its generic 422. */
class OperationError extends Error {}

/**
 * Applies a decoded JSON patch to `original` (not modified) and returns the patched document.
 * Throws 400 for a body that is not a list of operations, 413 over the operation limit and the
 * generic 422 when an operation fails; a failing operation fails the whole patch.
 */
export function applyJsonPatch(original: unknown, patch: unknown, fieldValidation: FieldValidation = 'Warn'): unknown {
  const operations = decodeOperations(patch, fieldValidation);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw patchErrors.tooManyOperations(MAX_JSON_PATCH_OPERATIONS, operations.length);
  }
  const state: PatchState = { doc: cloneJson(original), copiedBytes: 0, shiftedElements: 0 };
  if (!isContainer(state.doc)) throw patchErrors.bareError('Invalid JSON Document');
  try {
    for (const operation of operations) applyOperation(state, operation);
  } catch (err) {
    if (err instanceof OperationError) throw patchErrors.unprocessable(err.message);
    throw err;
  }
  return state.doc;
}

/** Mirrors the two decodes kube-apiserver runs: the strict one into its own op struct, then evanphx's. */
function decodeOperations(patch: unknown, fieldValidation: FieldValidation): (JsonObject | null)[] {
  const strict = fieldValidation !== 'Ignore';
  const fail = (message: string): never => {
    throw patchErrors.badRequest(strict ? `error decoding patch: ${message}` : message);
  };
  if (patch === null) return [];
  if (!Array.isArray(patch)) return fail(cannotUnmarshal(patch, strict ? '[]handlers.jsonPatchOp' : 'jsonpatch.Patch'));
  for (const op of patch) {
    if (op !== null && !isRecord(op)) fail(cannotUnmarshal(op, strict ? 'handlers.jsonPatchOp' : 'jsonpatch.Operation'));
    if (strict && isRecord(op)) {
      for (const field of ['op', 'path', 'from']) {
        const v = getKey(op, field);
        if (v !== undefined && v !== null && typeof v !== 'string') {
          fail(`json: cannot unmarshal ${goJsonWord(v)} into Go struct field jsonPatchOp.${field} of type string`);
        }
      }
    }
  }
  return patch as (JsonObject | null)[];
}

interface PatchState {
  doc: unknown;
  copiedBytes: number;
  shiftedElements: number;
}

function applyOperation(state: PatchState, op: JsonObject | null): void {
  const kind = op ? stringField(op, 'op') : undefined;
  switch (kind) {
    case 'add':
      return add(state, op!);
    case 'remove':
      return remove(state, op!);
    case 'replace':
      return replace(state, op!);
    case 'move':
      return move(state, op!);
    case 'test':
      return test(state, op!);
    case 'copy':
      return copy(state, op!);
    default:
      throw new OperationError(`Unexpected kind: ${kind ?? 'unknown'}`);
  }
}

function add(state: PatchState, op: JsonObject): void {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('add operation failed to decode path: missing value');
  const target = findContainer(state.doc, path);
  if (!target) throw new OperationError(`add operation does not apply: doc is missing path: "${path}": missing value`);
  insert(state, target.container, target.key, valueOf(op), `error in add for path: '${path}'`);
}

function remove(state: PatchState, op: JsonObject): void {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('remove operation failed to decode path: missing value');
  const target = findContainer(state.doc, path);
  if (!target) throw new OperationError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  removeAt(state, target.container, target.key, `error in remove for path: '${path}'`);
}

function replace(state: PatchState, op: JsonObject): void {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('replace operation failed to decode path: missing value');
  if (path === '') {
    const value = getKey(op, 'value');
    if (!isContainer(value)) throw new OperationError('replace operation value must be object or array');
    state.doc = value;
    return;
  }
  const target = findContainer(state.doc, path);
  if (!target) throw new OperationError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  // Only arrays check that the element exists; an object key is set whether or not it was there.
  if (Array.isArray(target.container)) {
    const index = arrayIndex(target.container, target.key, false);
    if (typeof index === 'string') {
      throw new OperationError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    }
    target.container[index] = valueOf(op);
  } else {
    setKey(target.container, target.key, valueOf(op));
  }
}

function move(state: PatchState, op: JsonObject): void {
  const from = stringField(op, 'from');
  if (from === undefined) throw new OperationError('move operation failed to decode from: operation, missing from field: missing value');
  const source = findContainer(state.doc, from);
  if (!source) throw new OperationError(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  const value = read(source.container, source.key, `error in move for path: '${source.key}'`);
  removeAt(state, source.container, source.key, `error in move for path: '${source.key}'`);
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('move operation failed to decode path: operation missing path field: missing value');
  const target = findContainer(state.doc, path);
  if (!target) throw new OperationError(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
  insert(state, target.container, target.key, value, `error in move for path: '${path}'`);
}

function copy(state: PatchState, op: JsonObject): void {
  const from = stringField(op, 'from');
  if (from === undefined) throw new OperationError('copy operation failed to decode from: operation, missing from field: missing value');
  const source = findContainer(state.doc, from);
  if (!source) throw new OperationError(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  // A missing object key reads as null and is copied as null, as upstream does.
  const value = read(source.container, source.key, `error in copy for from: '${from}'`);
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('copy operation failed to decode path: missing value');
  const target = findContainer(state.doc, path);
  if (!target) throw new OperationError(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
  if (value !== null) state.copiedBytes += Buffer.byteLength(JSON.stringify(value));
  if (state.copiedBytes > MAX_JSON_PATCH_COPY_BYTES) {
    throw new OperationError(
      `Unable to complete the copy, the accumulated size increase of copy is ${state.copiedBytes}, exceeding the limit ${MAX_JSON_PATCH_COPY_BYTES}`,
    );
  }
  insert(state, target.container, target.key, cloneJson(value), 'error while adding value during copy');
}

function test(state: PatchState, op: JsonObject): void {
  const path = stringField(op, 'path');
  if (path === undefined) throw new OperationError('test operation failed to decode path: operation missing path field: missing value');
  const expected = getKey(op, 'value');
  if (path === '') {
    if (expected !== undefined && jsonEqual(state.doc, expected)) return;
    throw new OperationError(`testing value ${path} failed: test failed`);
  }
  const target = findContainer(state.doc, path);
  if (!target) throw new OperationError(`test operation does not apply: is missing path: ${path}: missing value`);
  const actual = read(target.container, target.key, `error in test for path: '${path}'`);
  // A missing or null member matches an absent or null value, and nothing else.
  if (actual === null) {
    if (expected === undefined || expected === null) return;
  } else if (expected !== undefined && expected !== null && jsonEqual(actual, expected)) {
    return;
  }
  throw new OperationError(`testing value ${path} failed: test failed`);
}

/** Resolves all but the last pointer token; the first token is ignored, whatever it is. */
function findContainer(doc: unknown, path: string): { container: Container; key: string } | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2) return undefined;
  let current = doc;
  for (const token of tokens.slice(1, -1)) {
    if (!isContainer(current)) return undefined;
    let next: unknown;
    if (Array.isArray(current)) {
      const index = arrayIndex(current, unescapeToken(token), false);
      if (typeof index === 'string') return undefined;
      next = current[index];
    } else {
      next = getKey(current, unescapeToken(token));
    }
    if (!isContainer(next)) return undefined;
    current = next;
  }
  if (!isContainer(current)) return undefined;
  return { container: current, key: unescapeToken(tokens[tokens.length - 1]!) };
}

/** RFC 6901: `~1` first, then `~0`. */
function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Reads a member; a missing object key reads as null, a bad array index is an error. */
function read(container: Container, key: string, context: string): unknown {
  if (!Array.isArray(container)) return getKey(container, key) ?? null;
  const index = arrayIndex(container, key, false);
  if (typeof index === 'string') throw new OperationError(`${context}: ${index}`);
  return container[index] ?? null;
}

function insert(state: PatchState, container: Container, key: string, value: unknown, context: string): void {
  if (!Array.isArray(container)) {
    setKey(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  if (!isAtoi(key)) {
    throw new OperationError(`${context}: value was not a proper array index: '${key}': strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  }
  const index = arrayIndex(container, key, true);
  if (typeof index === 'string') throw new OperationError(`${context}: ${index}`);
  shift(state, container.length - index);
  container.splice(index, 0, value);
}

function removeAt(state: PatchState, container: Container, key: string, context: string): void {
  if (!Array.isArray(container)) {
    if (!hasKey(container, key)) throw new OperationError(`${context}: Unable to remove nonexistent key: ${key}: missing value`);
    delete container[key];
    return;
  }
  const index = arrayIndex(container, key, false);
  if (typeof index === 'string') throw new OperationError(`${context}: ${index}`);
  shift(state, container.length - index - 1);
  container.splice(index, 1);
}

function shift(state: PatchState, elements: number): void {
  state.shiftedElements += elements;
  if (state.shiftedElements > MAX_JSON_PATCH_ELEMENT_SHIFTS) throw patchErrors.tooMuchShifting(MAX_JSON_PATCH_ELEMENT_SHIFTS);
}

/**
 * Resolves an array index token (negative counts from the end); for an insertion the end itself
 * is a valid position. Returns the error text when the token is not a usable index.
 */
function arrayIndex(array: unknown[], token: string, forInsert: boolean): number | string {
  if (!isAtoi(token)) return `strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`;
  const raw = Number(token);
  const size = forInsert ? array.length + 1 : array.length;
  let index = raw;
  if (index < 0) {
    if (index < -size) return `Unable to access invalid index: ${raw}: invalid index referenced`;
    index += size;
  }
  if (index >= size) return `Unable to access invalid index: ${raw}: invalid index referenced`;
  return index;
}

/** What Go's strconv.Atoi accepts: an optional sign and decimal digits, within 64 bits. */
function isAtoi(token: string): boolean {
  return /^[+-]?\d+$/.test(token) && Number.isSafeInteger(Number(token));
}

function stringField(op: JsonObject, name: string): string | undefined {
  const value = getKey(op, name);
  return typeof value === 'string' ? value : undefined;
}

function valueOf(op: JsonObject): unknown {
  return cloneJson(getKey(op, 'value') ?? null);
}

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isRecord(value);
}
