// Parses a request path into what it names (group, version, namespace, resource, name,
// subresource) and the verb, following kube-apiserver's RequestInfo rules.

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: Verb;
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
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
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest.slice(2).join('/');
  // `/namespaces/<name>` itself: the namespace is the object's name, not its scope.
  if (resource === 'namespaces') namespace = '';
  const watchParam = query.get('watch');
  const watching = legacyWatch || watchParam === 'true' || watchParam === '1';
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name ? (watching ? 'watch' : 'get') : watching ? 'watch' : 'list';
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
  return { kind: 'resource', verb, group, version, namespace, resource, name, subresource };
}
