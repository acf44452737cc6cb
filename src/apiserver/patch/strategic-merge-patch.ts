// Strategic merge patch (application/strategic-merge-patch+json) with the semantics of
// k8s.io/apimachinery's strategicpatch on the server side: lists merge by the field's patch merge
// key, and the directives $patch, $retainKeys, $deleteFromPrimitiveList and $setElementOrder apply.
import { cannotUnmarshal } from './decode-body.js';
import { patchErrors } from './patch-errors.js';
import { PatchSchema, type LookupType } from './patch-meta.js';
import { strategicMergePatchUnsupported } from './patch-types.js';
import { orderWithUnknownsFirst } from './unknown-first-order.js';
import { cloneJson, goString, goTypeName, goValue, hasKey, jsonKind, setKey, type JsonKind, type JsonObject } from './json-value.js';
import { isRecord } from '../../lang/index.js';

const DIRECTIVE = '$patch';
const DELETE = 'delete';
const REPLACE = 'replace';
const MERGE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Applies a decoded strategic merge patch to `original` (not modified), an object of the API type
 * `typeName`. Throws the 415 of custom resources when the type has no facts, the generic 422 for
 * lists of lists, and 400 for malformed directives and patches that do not fit the object, with
 * upstream's wording (where upstream answers 500 with a bare Go error).
 */
export function strategicMergePatch(original: unknown, patch: unknown, typeName: string, lookupType: LookupType): unknown {
  if (lookupType(typeName) === undefined) throw strategicMergePatchUnsupported();
  if (patch === null) return cloneJson(original);
  if (!isRecord(patch)) throw patchErrors.badRequest(cannotUnmarshal(patch, 'map[string]interface {}'));
  if (!isRecord(original)) throw patchErrors.badRequest('invalid JSON document');
  return mergeMap(cloneJson(original), cloneJson(patch), PatchSchema.of(typeName, lookupType));
}

// Both arguments are private copies: merging works in place, as upstream does.
function mergeMap(original: JsonObject, patch: JsonObject, schema: PatchSchema): JsonObject {
  if (hasKey(patch, DIRECTIVE)) return handleDirectiveInMap(patch[DIRECTIVE], patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    const patchValue = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
      // Upstream skips a value that is not a list without a word; it can only be a mistake.
      if (patchValue !== null && !Array.isArray(patchValue)) throw patchErrors.malformed('invalid patch format of primitive list');
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const originalValue = hasKey(original, key) ? original[key] : undefined;
    if (originalValue === undefined || jsonKind(originalValue) !== jsonKind(patchValue)) {
      // New or of another type: the patch value wins, minus its nulls and directives.
      if (!isDeleteList) {
        discardNullValues(patchValue);
        const [value, keep] = removeDirectives(patchValue);
        if (keep) setKey(original, key, value);
        else delete original[key];
      }
      continue;
    }
    if (isRecord(originalValue) && isRecord(patchValue)) {
      const [fieldSchema, meta] = schema.forStruct(key);
      const strategy = patchStrategyOf(meta.strategies);
      setKey(original, key, strategy === REPLACE ? patchValue : mergeMap(originalValue, patchValue, fieldSchema));
    } else if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
      const [itemSchema, meta] = schema.forSlice(key);
      const strategy = patchStrategyOf(meta.strategies);
      setKey(original, key, mergeListHandler(originalValue, patchValue, itemSchema, strategy, meta.mergeKey, isDeleteList));
    } else {
      setKey(original, key, patchValue);
    }
  }
  return original;
}

function handleDirectiveInMap(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === REPLACE) {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === DELETE) return {};
  throw errBadPatchType(directive, patch);
}

/** `$retainKeys`: drops every key of the original not listed; the patch may set only listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasKey(patch, RETAIN_KEYS)) return;
  const retainKeys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retainKeys)) throw patchErrors.badRequest('invalid patch format of retainKeys');
  const retained = new Set<unknown>(retainKeys);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(key)) throw patchErrors.badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<list>`: merges the list named by the directive together with it and puts the
 * result in the directive's order, server-only items kept near their old neighbours.
 */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: PatchSchema): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const key = extractKey(directiveKey, SET_ELEMENT_ORDER);

    const foundOriginal = hasKey(original, key);
    const foundPatch = hasKey(patch, key);
    const originalList = foundOriginal ? asList(original[key]) : [];
    const patchList = foundPatch ? asList(patch[key]) : [];
    const [itemSchema, meta] = schema.forSlice(key);
    const strategy = patchStrategyOf(meta.strategies);
    validateOrderAgainstPatch(patchList, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) {
      merged = mergeListHandler(originalList, patchList, itemSchema, strategy, meta.mergeKey, false);
    } else if (foundOriginal) {
      merged = originalList;
    } else if (foundPatch) {
      merged = removeDirectives(patchList)[0] as unknown[];
    } else {
      continue;
    }

    const [patchItems, serverOnlyItems] = meta.mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, order, meta.mergeKey);
    const kind = listElementKind(originalList, patchList);
    setKey(original, key, normalizeElementOrder(patchItems, serverOnlyItems, order, originalList, meta.mergeKey, kind));
    delete patch[key];
  }
}

/** The items of the patch list (deletions aside) must appear in the order list, in the same order. */
function validateOrderAgainstPatch(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === '' ? patchList : splitDeletions(patchList)[0];
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isRecord(item) && hasKey(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw patchErrors.malformed(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isRecord(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isRecord(right)) throw errBadArgType('map[string]interface {}', right);
  if (!hasKey(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasKey(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function mergeListHandler(
  original: unknown[],
  patch: unknown[],
  itemSchema: PatchSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  // Deletion lists work the same whatever the field's strategy.
  if (strategy === MERGE || isDeleteList) return mergeList(original, patch, itemSchema, mergeKey, isDeleteList);
  return patch;
}

function mergeList(original: unknown[], patch: unknown[], itemSchema: PatchSchema, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = listElementKind(original, patch);
  let server = original;
  let patchItems = patch;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromList(original, patch);
    merged = [...new Set([...original, ...patch])];
  } else {
    if (mergeKey === '') throw patchErrors.malformed(`cannot merge lists without merge key for ${itemSchema.kindName()}`);
    [server, patchItems] = applyListDirectives(original, patch, mergeKey);
    merged = mergeListItems(server, patchItems, mergeKey, itemSchema);
  }
  const [inPatch, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, patchItems) : partitionMaps(merged, patchItems, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, patchItems, server, mergeKey, kind);
}

/**
 * Handles the list elements that carry `$patch`: `delete` removes the original elements with that
 * merge key, `replace` makes the rest of the patch list the whole list.
 */
function applyListDirectives(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  const deleted = new Set<unknown>();
  let replace = false;
  for (const item of patch) {
    const element = item as JsonObject;
    if (!hasKey(element, DIRECTIVE)) {
      plain.push(element);
      continue;
    }
    const directive = element[DIRECTIVE];
    if (directive === DELETE) {
      if (!hasKey(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
      deleted.add(element[mergeKey]);
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      throw patchErrors.malformed('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, element);
    }
  }
  if (replace) return [plain, []];
  // One pass for all deletions: a patch may carry as many of them as the list has elements.
  const server = deleted.size === 0 ? original : original.filter((c) => !(isRecord(c) && hasKey(c, mergeKey) && deleted.has(c[mergeKey])));
  return [server, plain];
}

/**
 * Merges each patch element into the original element with the same merge key, or appends it.
 * Elements are found through an index by merge key value, not a scan, so that merging two lists
 * of tens of thousands of elements stays linear.
 */
function mergeListItems(original: unknown[], patch: unknown[], mergeKey: string, itemSchema: PatchSchema): unknown[] {
  const result = [...original];
  let find = mergeKeyIndex(result, mergeKey);
  for (const item of patch) {
    const element = item as JsonObject;
    if (!hasKey(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
    const value = element[mergeKey];
    const index = find(value);
    if (index >= 0) {
      const merged = mergeMap(result[index] as JsonObject, element, itemSchema);
      result[index] = merged;
      // A merge that changed the element's key (it cannot, short of directives) invalidates the index.
      if (!(hasKey(merged, mergeKey) && merged[mergeKey] === value)) find = mergeKeyIndex(result, mergeKey);
    } else {
      result.push(element);
      find = find.with(value, result.length - 1);
    }
  }
  return result;
}

interface MergeKeyLookup {
  /** The first index whose element has this merge key value, -1 if none: a scan's answer. */
  (value: unknown): number;
  /** The same lookup after an element with `value` was appended at `index`. */
  with(value: unknown, index: number): MergeKeyLookup;
}

/**
 * What a front-to-back scan of `list` for a merge key value answers, from one pass: the first
 * matching index, or -1; and, as the scan would, an error at the first element that is not a map
 * when no match comes before it.
 */
function mergeKeyIndex(list: readonly unknown[], mergeKey: string): MergeKeyLookup {
  const first = new Map<unknown, number>();
  let firstNonMap = -1;
  for (const [i, item] of list.entries()) {
    if (!isRecord(item)) {
      firstNonMap = i;
      break;
    }
    if (hasKey(item, mergeKey) && !first.has(item[mergeKey])) first.set(item[mergeKey], i);
  }
  const lookup = (value: unknown): number => {
    const at = first.get(value);
    if (at !== undefined) return at;
    if (firstNonMap >= 0) throw patchErrors.malformed(`value for key ${firstNonMap} is not a map`);
    return -1;
  };
  lookup.with = (value: unknown, index: number): MergeKeyLookup => {
    // An element appended after a non-map is never reached by a scan; otherwise it is found if first.
    if (firstNonMap < 0 && !first.has(value)) first.set(value, index);
    return lookup;
  };
  return lookup;
}

function deleteFromList(current: unknown[], toDelete: unknown[]): unknown[] {
  const deleted = new Set(toDelete);
  return current.filter((item) => !deleted.has(item));
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const present = new Set(by);
  return [list.filter((item) => present.has(item)), list.filter((item) => !present.has(item))];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inList: unknown[] = [];
  const notInList: unknown[] = [];
  const find = mergeKeyIndex(by, mergeKey);
  for (const item of list) {
    if (!isRecord(item)) throw errBadArgType('map[string]interface {}', item);
    if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    (find(item[mergeKey]) >= 0 ? inList : notInList).push(item);
  }
  return [inList, notInList];
}

/**
 * Sorts the patch items by the patch order and the server-only items by the server order, then
 * interleaves them: a server-only item goes before a patch item only when the server order says so.
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  const right = normalizeListOrder(patchItems, patchOrder, mergeKey, kind);
  const left = normalizeListOrder(serverOnly, serverOrder, mergeKey, kind);
  const serverIndex = indexer(serverOrder, mergeKey, kind);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) result.push(right[j++]);
    else if (j >= right.length) result.push(left[i++]);
    else {
      const li = serverIndex(left[i]);
      const ri = serverIndex(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) result.push(left[i++]);
      else result.push(right[j++]);
    }
  }
  return result;
}

/** Sorts `list` by the positions of its items in `order` (stably); `$patch: delete` items go last. */
function normalizeListOrder(list: unknown[], order: unknown[], mergeKey: string, kind: JsonKind): unknown[] {
  let items = list;
  let deletions: unknown[] = [];
  if (kind === 'map') {
    for (const item of [...list, ...order]) {
      if (!isRecord(item)) throw errBadArgType('map[string]interface {}', item);
      if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
    [items, deletions] = splitDeletions(list);
  }
  const position = indexer(order, mergeKey, kind);
  const keyed = items.map((item) => ({ item, at: position(item) }));
  if (keyed.every((k) => k.at >= 0)) return [...keyed.sort((a, b) => a.at - b.at).map((k) => k.item), ...deletions];
  // Upstream's comparison calls an item whose position is unknown "less" than anything; an
  // insertion sort with that comparison gives the order sort.SliceStable gives on short lists.
  return [...orderWithUnknownsFirst(keyed), ...deletions];
}
/** Position lookup by merge key value (maps) or by value (primitives); -1 when absent. */
function indexer(list: readonly unknown[], mergeKey: string, kind: JsonKind): (item: unknown) => number {
  const keyOf = (item: unknown): unknown => (kind === 'map' ? (isRecord(item) ? item[mergeKey] : undefined) : item);
  const positions = new Map<unknown, number>();
  list.forEach((item, i) => {
    const k = keyOf(item);
    if (!positions.has(k)) positions.set(k, i);
  });
  return (item) => positions.get(keyOf(item)) ?? -1;
}

function splitDeletions(list: unknown[]): [unknown[], unknown[]] {
  const kept: unknown[] = [];
  const deletions: unknown[] = [];
  for (const item of list) {
    if (!isRecord(item)) throw errBadArgType('map[string]interface {}', item);
    (item[DIRECTIVE] === DELETE ? deletions : kept).push(item);
  }
  return [kept, deletions];
}

/** The one element kind shared by all the lists; lists of lists are refused. */
function listElementKind(...lists: unknown[][]): JsonKind {
  let kind: JsonKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = jsonKind(item);
      if (kind === undefined) {
        if (current === 'slice') throw patchErrors.unprocessable('lists of lists are not supported');
        kind = current;
      } else if (kind !== current) {
        throw patchErrors.malformed(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw patchErrors.malformed('no elements in any of the given slices');
  return kind;
}

/** Removes maps carrying `$patch` (and list elements that are such maps) from a value being set. */
function removeDirectives(value: unknown): [unknown, boolean] {
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const item of value) {
      const [cleaned, keep] = removeDirectives(item);
      if (keep) kept.push(cleaned);
    }
    return [kept, true];
  }
  if (isRecord(value)) {
    if (hasKey(value, DIRECTIVE)) return [null, false];
    for (const key of Object.keys(value)) {
      const [cleaned, keep] = removeDirectives(value[key]);
      if (keep) setKey(value, key, cleaned);
      else delete value[key];
    }
  }
  return [value, true];
}

function discardNullValues(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNullValues(item);
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key];
      else discardNullValues(value[key]);
    }
  }
}

/** `$setElementOrder/containers` → `containers`. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw patchErrors.badRequest(
      prefix === DELETE_FROM_PRIMITIVE_LIST ? 'invalid patch format of primitive list' : 'invalid patch format of setElementOrder list',
    );
  }
  return key.slice(slash + 1);
}

/** The field's strategy other than retainKeys (which the patch itself carries as `$retainKeys`). */
function patchStrategyOf(strategies: readonly string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === RETAIN_KEYS_STRATEGY ? '' : strategies[0]!;
  if (strategies.length === 2) {
    if (strategies[0] === RETAIN_KEYS_STRATEGY) return strategies[1]!;
    if (strategies[1] === RETAIN_KEYS_STRATEGY) return strategies[0]!;
  }
  throw patchErrors.bareError(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

function asList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw errBadArgType('[]interface {}', value);
  return value;
}

function errBadPatchType(directive: unknown, object: JsonObject): Error {
  return patchErrors.malformed(`unknown patch type: ${goString(directive)} in map: ${goValue(object)}`);
}

function errNoMergeKey(object: unknown, mergeKey: string): Error {
  return patchErrors.malformed(`map: ${goValue(object)} does not contain declared merge key: ${mergeKey}`);
}

function errBadArgType(expected: string, actual: unknown): Error {
  return patchErrors.malformed(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}
