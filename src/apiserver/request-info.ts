// Parses a request target into what it names (group, version, namespace, resource, name,
// subresource) and the verb, following kube-apiserver's RequestInfo rules. The raw target is split
// here and nowhere else: dot segments are never resolved (a URL parser would turn
// `configmaps/..` into the namespace itself), and each segment is percent-decoded exactly once.

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: Verb;
  readonly group: string;
  readonly version: string;
  /** The namespace the path names; for `/namespaces/<name>` itself that is the name, as kube's RequestInfo has it. */
  readonly namespace: string;
  /** Whether the resource sits under `/namespaces/<ns>/`: a cluster-scoped resource there is not found. */
  readonly inNamespace: boolean;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
}

export interface NonResourceRequest {
  readonly kind: 'nonresource';
  readonly path: string;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** The methods resource paths answer; any other one is refused with 405, as kube's router does. */
export const resourceMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestTarget {
  /** The path as sent: still percent-encoded, dot segments and empty segments untouched. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
}

/**
 * Splits a request target (origin form `/p?q`, or absolute form `https://host/p?q` as HTTP/1.1
 * allows) into its raw path and its query. Nothing is resolved or normalised.
 */
export function parseRequestTarget(target: string): RequestTarget {
  let rest = target;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const q = rest.indexOf('?');
  const rawPath = q < 0 ? rest : rest.slice(0, q);
  return { rawPath: rawPath.startsWith('/') ? rawPath : `/${rawPath}`, query: new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)) };
}

/**
 * The decoded segments of a raw path: the leading slash and one trailing slash are dropped (kube
 * serves `/pods/` as `/pods`); empty segments inside stay, so `a//b` never reads as `a/b`. Each
 * segment is percent-decoded once, so `a%2Fb` is one segment `a/b` and `%2e%2e` is `..`, which
 * the name checks then refuse. Undefined when an escape is malformed.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  const body = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (body === '') return [];
  const raw = body.split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  try {
    return raw.map((s) => (s.includes('%') ? decodeURIComponent(s) : s));
  } catch {
    return undefined;
  }
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): ResourceRequest | NonResourceRequest {
  const parts = pathSegments(path);
  // An empty segment is never a name: such a path names nothing and is not found.
  if (!parts || parts.includes('')) return { kind: 'nonresource', path };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'nonresource', path };
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  let inNamespace = false;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) {
      rest = rest.slice(2);
      inNamespace = true;
    }
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest.slice(2).join('/');
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      // ?watch only matters without a name; any value but false/0 means watch, as kube reads a bool.
      verb = legacyWatch ? 'watch' : name ? 'get' : watchRequested(query) ? 'watch' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = 'get';
  }
  return { kind: 'resource', verb, group, version, namespace, inNamespace, resource, name, subresource };
}

function watchRequested(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value !== null && !['false', '0'].includes(value.toLowerCase());
}
