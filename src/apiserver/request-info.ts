// Parses a request path into what it names (group, version, namespace, resource, name,
// subresource) and the verb, following kube-apiserver's RequestInfo rules.

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

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): ResourceRequest | NonResourceRequest {
  const parts = path.split('/').filter((p) => p !== '');
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
