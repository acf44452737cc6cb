// Bounds on what a request body may decode to, whatever its encoding: nesting depth, YAML alias
// expansion (go-yaml's "excessive aliasing" rule, which sigs.k8s.io/yaml inherits) and the size of
// the decoded object's JSON text. Checked without recursion, so hostile input cannot overflow the
// stack or expand into gigabytes before it is refused; later recursive walks can then trust it.

/** The most JSON text a decoded object (or a patch result) may take: the request body limit. */
export const maxDecodedBytes = 3 * 1024 * 1024;

/**
 * Deepest nesting of objects and arrays accepted. Go's encoding/json allows 10000, but V8 gives
 * up far sooner (structuredClone near 2000 levels, JSON.stringify near 5000), and the server
 * walks objects recursively; 1000 keeps every later walk well inside the stack.
 */
export const maxNestingDepth = 1000;

/** How much of an input value an error message quotes. */
const maxEchoedChars = 256;

/** A body that decodes but breaks a limit; callers turn it into their 400 (or 413). */
export class DecodeLimitError extends Error {
  constructor(
    message: string,
    /** `size` limits are answered with 413, the others with 400. */
    readonly limit: 'depth' | 'aliasing' | 'size',
  ) {
    super(message);
    this.name = 'DecodeLimitError';
  }
}

/**
 * Go's JSON scanner refuses nesting past its limit with "invalid character '[' exceeded max
 * depth"; this scans the text for it before JSON.parse builds anything.
 */
export function checkJsonNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxNestingDepth) throw new DecodeLimitError(`invalid character '${text[i]!}' exceeded max depth`, 'depth');
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
}

export interface DecodedBounds {
  /** Whether some object or array is reachable along two paths (YAML aliases); copy before mutating. */
  readonly shared: boolean;
}

/** go-yaml's scale: up to 400,000 decoded nodes 99% may come from aliases, falling to 10% at 4,000,000. */
function allowedAliasRatio(decoded: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decoded <= low) return 0.99;
  if (decoded >= high) return 0.1;
  return 0.99 - 0.89 * ((decoded - low) / (high - low));
}

/**
 * Walks a decoded value as the tree it stands for (an object reached twice is expanded twice, as
 * Go's decoders would have), counting nodes, depth and JSON text bytes, and stops at the first
 * limit broken. With `yaml`, the nodes reached through a second path count as alias expansions,
 * and too many of them is go-yaml's "document contains excessive aliasing".
 */
export function checkDecodedValue(value: unknown, options: { yaml?: boolean; maxBytes?: number } = {}): DecodedBounds {
  const maxBytes = options.maxBytes ?? maxDecodedBytes;
  const seen = new Set<object>();
  let shared = false;
  let decoded = 0;
  let aliased = 0;
  let bytes = 0;
  // [value, depth, inside a repeated (aliased) subtree]
  const stack: [unknown, number, boolean][] = [[value, 0, false]];
  while (stack.length > 0) {
    const [node, depth, insideAlias] = stack.pop()!;
    decoded++;
    let alias = insideAlias;
    if (typeof node === 'object' && node !== null) {
      if (seen.has(node)) {
        shared = true;
        alias = true;
      } else {
        seen.add(node);
      }
    }
    if (alias) aliased++;
    if (options.yaml && aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded)) {
      throw new DecodeLimitError('yaml: document contains excessive aliasing', 'aliasing');
    }
    bytes += scalarBytes(node);
    if (Array.isArray(node)) {
      if (depth + 1 > maxNestingDepth) throw depthError(options.yaml);
      bytes += 2 + Math.max(0, node.length - 1);
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], depth + 1, alias]);
    } else if (typeof node === 'object' && node !== null) {
      if (depth + 1 > maxNestingDepth) throw depthError(options.yaml);
      const keys = Object.keys(node);
      bytes += 2 + Math.max(0, keys.length - 1);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        bytes += Buffer.byteLength(key) + 3;
        stack.push([(node as Record<string, unknown>)[key], depth + 1, alias]);
      }
    }
    if (bytes > maxBytes) throw new DecodeLimitError(`the decoded object is larger than the limit of ${maxBytes} bytes`, 'size');
  }
  return { shared };
}

/** The JSON text bytes of a scalar (a lower bound for strings: escapes are not counted). */
function scalarBytes(node: unknown): number {
  switch (typeof node) {
    case 'string':
      return Buffer.byteLength(node) + 2;
    case 'number':
    case 'bigint':
      return String(node).length;
    case 'boolean':
      return node ? 4 : 5;
    case 'object':
      return node === null ? 4 : 0;
    default:
      return 4;
  }
}

function depthError(yaml: boolean | undefined): DecodeLimitError {
  return new DecodeLimitError(yaml ? `yaml: exceeded max depth of ${maxNestingDepth}` : `exceeded max depth of ${maxNestingDepth}`, 'depth');
}

/**
 * Checks a decoded value and returns it as a tree of its own: YAML aliases decode to shared
 * objects, which later in-place changes (defaulting, pruning) must not see twice.
 */
export function boundedTree<T>(value: T, options: { yaml?: boolean; maxBytes?: number } = {}): T {
  const { shared } = checkDecodedValue(value, options);
  return shared ? (JSON.parse(JSON.stringify(value)) as T) : value;
}

/** Quotes at most `limit` characters of an input value in an error message. */
export function echoInput(text: string, limit = maxEchoedChars): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}... (${text.length - limit} more characters)`;
}

/**
 * A parse listener for js-yaml, which has no alias limit of its own, applying go-yaml's rule while
 * the document is read: every node closed counts as decoded, and an alias to a collection (the same
 * object closed again) counts all the nodes under it as decoded through an alias, as Go would have
 * decoded them again. js-yaml copies merged (`<<`) maps, so this stops the parser's own work too.
 */
export function yamlAliasListener(): (eventType: 'open' | 'close', state: { result: unknown }) => void {
  const sizes = new WeakMap<object, number>();
  const sizeOf = (value: unknown): number => (typeof value === 'object' && value !== null ? (sizes.get(value) ?? 1) : 1);
  let decoded = 0;
  let aliased = 0;
  return (eventType, state) => {
    if (eventType !== 'close') return;
    const result: unknown = state.result;
    if (typeof result !== 'object' || result === null) {
      decoded++;
    } else {
      const known = sizes.get(result);
      if (known !== undefined) {
        decoded += known;
        aliased += known;
      } else {
        // Its children closed (and were counted) before it; its size is remembered for aliases to it.
        let size = 1;
        if (Array.isArray(result)) for (const item of result) size += sizeOf(item);
        else for (const value of Object.values(result)) size += 1 + sizeOf(value);
        sizes.set(result, size);
        decoded++;
      }
    }
    if (aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded)) {
      throw new DecodeLimitError('yaml: document contains excessive aliasing', 'aliasing');
    }
  };
}
