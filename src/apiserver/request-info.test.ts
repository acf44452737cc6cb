// Unit tests of parseRequestInfo against kube-apiserver's RequestInfo rules
// (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo, parseRequestTarget, pathSegments } from './request-info.js';

const q = (s = '') => new URLSearchParams(s);
const info = (method: string, path: string, query = '') => parseRequestInfo(method, path, q(query));
const res = (verb: string, group: string, version: string, namespace: string, resource: string, name = '', subresource = '') => ({
  kind: 'resource',
  verb,
  group,
  version,
  namespace,
  // Paths under /namespaces/<ns>/<resource>; /namespaces/<name> itself names the namespace.
  inNamespace: namespace !== '' && resource !== 'namespaces',
  resource,
  name,
  subresource,
});

test('non-resource paths', () => {
  for (const p of ['/', '/healthz', '/version', '/api', '/apis', '/apis/apps', '/openapi/v2', '/api/v1', '/apis/apps/v1']) {
    assert.deepEqual(info('GET', p), { kind: 'nonresource', path: p }, p);
  }
});

test('namespaced collection and object verbs by method', () => {
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods'), res('list', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('HEAD', '/api/v1/namespaces/default/pods'), res('list', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('POST', '/api/v1/namespaces/default/pods'), res('create', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/pods'), res('deletecollection', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods/web'), res('get', '', 'v1', 'default', 'pods', 'web'));
  assert.deepEqual(info('PUT', '/api/v1/namespaces/default/pods/web'), res('update', '', 'v1', 'default', 'pods', 'web'));
  assert.deepEqual(info('PATCH', '/api/v1/namespaces/default/pods/web'), res('patch', '', 'v1', 'default', 'pods', 'web'));
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/pods/web'), res('delete', '', 'v1', 'default', 'pods', 'web'));
});

test('named groups', () => {
  assert.deepEqual(info('GET', '/apis/apps/v1/namespaces/kube-system/deployments/coredns'), res('get', 'apps', 'v1', 'kube-system', 'deployments', 'coredns'));
  assert.deepEqual(info('PUT', '/apis/apps/v1/namespaces/ns1/deployments/d/scale'), res('update', 'apps', 'v1', 'ns1', 'deployments', 'd', 'scale'));
  assert.deepEqual(
    info('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin'),
    res('get', 'rbac.authorization.k8s.io', 'v1', '', 'clusterroles', 'admin'),
  );
});

test('one trailing slash is ignored, as kube does; empty segments name nothing', () => {
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods/'), res('list', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/configmaps/x/'), res('delete', '', 'v1', 'default', 'configmaps', 'x'));
  // Doubled slashes used to collapse, so `configmaps//` was the collection and `//x` the object x.
  for (const p of [
    '//api//v1/nodes',
    '/api//v1/nodes',
    '/api/v1/namespaces//pods',
    '/api/v1/namespaces/default/configmaps//',
    '/api/v1/namespaces/default/configmaps//x',
  ]) {
    for (const method of ['GET', 'DELETE', 'PUT', 'PATCH', 'POST']) assert.deepEqual(info(method, p), { kind: 'nonresource', path: p }, `${method} ${p}`);
  }
});

test('dot segments are never resolved: they stay names, for the name checks to refuse', () => {
  // A URL parser turned configmaps/. into the collection and configmaps/.. into the namespace itself.
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/configmaps/.'), res('delete', '', 'v1', 'default', 'configmaps', '.'));
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/configmaps/..'), res('delete', '', 'v1', 'default', 'configmaps', '..'));
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/configmaps/%2e%2e'), res('delete', '', 'v1', 'default', 'configmaps', '..'));
  assert.deepEqual(info('DELETE', '/api/v1/namespaces/default/configmaps/%2E%2e'), res('delete', '', 'v1', 'default', 'configmaps', '..'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/%2e%2e/pods'), res('list', '', 'v1', '..', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/./pods/x'), res('get', '', 'v1', '.', 'pods', 'x'));
  assert.deepEqual(info('PUT', '/apis/apps/v1/namespaces/d/deployments/%2e/scale'), res('update', 'apps', 'v1', 'd', 'deployments', '.', 'scale'));
  assert.deepEqual(info('GET', '/api/v1/nodes/..'), res('get', '', 'v1', '', 'nodes', '..'));
});

test('each segment is percent-decoded once, so an escaped slash or percent stays inside its segment', () => {
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/configmaps/a%2Fb'), res('get', '', 'v1', 'default', 'configmaps', 'a/b'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/configmaps/a%252Fb'), res('get', '', 'v1', 'default', 'configmaps', 'a%2Fb'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/a%25b/configmaps'), res('list', '', 'v1', 'a%b', 'configmaps'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/configmaps/caf%C3%A9'), res('get', '', 'v1', 'default', 'configmaps', 'café'));
  // Malformed escapes name nothing (the server answers 400 before it gets here).
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/configmaps/a%2'), { kind: 'nonresource', path: '/api/v1/namespaces/default/configmaps/a%2' });
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/configmaps/%ff'), { kind: 'nonresource', path: '/api/v1/namespaces/default/configmaps/%ff' });
});

test('pathSegments keeps empty and dot segments and drops only the leading and one trailing slash', () => {
  assert.deepEqual(pathSegments('/'), []);
  assert.deepEqual(pathSegments(''), []);
  assert.deepEqual(pathSegments('/a/b/'), ['a', 'b']);
  assert.deepEqual(pathSegments('/a/b//'), ['a', 'b', '']);
  assert.deepEqual(pathSegments('//a'), ['', 'a']);
  assert.deepEqual(pathSegments('/a/./../b'), ['a', '.', '..', 'b']);
  assert.deepEqual(pathSegments('/%2e/%2E%2e/a%2Fb/a%25b'), ['.', '..', 'a/b', 'a%b']);
  assert.equal(pathSegments('/a%zz'), undefined);
  assert.equal(pathSegments('/%c3'), undefined);
});

test('parseRequestTarget splits path and query without touching either', () => {
  const t = (s: string) => {
    const r = parseRequestTarget(s);
    return [r.rawPath, r.query.toString()];
  };
  assert.deepEqual(t('/api/v1/namespaces/default/configmaps/..?limit=1'), ['/api/v1/namespaces/default/configmaps/..', 'limit=1']);
  assert.deepEqual(t('/a/%2e%2e?x=%2e&y'), ['/a/%2e%2e', 'x=.&y=']);
  assert.deepEqual(t('/a?b?c'), ['/a', 'b%3Fc=']);
  assert.deepEqual(t('https://example.com:6443/api/v1/../pods?watch=1'), ['/api/v1/../pods', 'watch=1']);
  assert.deepEqual(t('https://example.com'), ['/', '']);
  assert.deepEqual(t('*'), ['/*', '']);
  assert.deepEqual(t('/a#frag'), ['/a#frag', '']);
});

test('cluster-scoped resources and all-namespaces lists have no namespace', () => {
  assert.deepEqual(info('GET', '/api/v1/nodes'), res('list', '', 'v1', '', 'nodes'));
  assert.deepEqual(info('GET', '/api/v1/nodes/n1'), res('get', '', 'v1', '', 'nodes', 'n1'));
  assert.deepEqual(info('PUT', '/api/v1/nodes/n1/status'), res('update', '', 'v1', '', 'nodes', 'n1', 'status'));
  assert.deepEqual(info('GET', '/api/v1/pods'), res('list', '', 'v1', '', 'pods'));
  assert.deepEqual(info('GET', '/apis/apps/v1/deployments', 'watch=true'), res('watch', 'apps', 'v1', '', 'deployments'));
  assert.deepEqual(info('DELETE', '/api/v1/persistentvolumes'), res('deletecollection', '', 'v1', '', 'persistentvolumes'));
});

test('namespaces resource: list, create, status and finalize subresources', () => {
  assert.deepEqual(info('GET', '/api/v1/namespaces'), res('list', '', 'v1', '', 'namespaces'));
  assert.deepEqual(info('POST', '/api/v1/namespaces'), res('create', '', 'v1', '', 'namespaces'));
  const status = info('PUT', '/api/v1/namespaces/ns1/status');
  assert.equal(status.kind, 'resource');
  if (status.kind === 'resource') {
    assert.equal(status.resource, 'namespaces');
    assert.equal(status.name, 'ns1');
    assert.equal(status.subresource, 'status');
    assert.equal(status.verb, 'update');
  }
  const finalize = info('PUT', '/api/v1/namespaces/ns1/finalize');
  assert.equal(finalize.kind, 'resource');
  if (finalize.kind === 'resource') {
    assert.equal(finalize.resource, 'namespaces');
    assert.equal(finalize.name, 'ns1');
    assert.equal(finalize.subresource, 'finalize');
  }
  // Only status and finalize are namespace subresources; any other word is a resource in that namespace.
  assert.deepEqual(info('GET', '/api/v1/namespaces/ns1/configmaps'), res('list', '', 'v1', 'ns1', 'configmaps'));
});

test('a namespace object request: kube sets namespace to the namespace name', () => {
  // requestinfo.go sets Namespace = currentParts[1] for every /namespaces/{x} path, so
  // GET /api/v1/namespaces/foo has Namespace "foo" (namespace-scoped RBAC can grant it).
  assert.deepEqual(info('GET', '/api/v1/namespaces/foo'), res('get', '', 'v1', 'foo', 'namespaces', 'foo'));
  assert.deepEqual(info('PUT', '/api/v1/namespaces/foo/finalize'), res('update', '', 'v1', 'foo', 'namespaces', 'foo', 'finalize'));
});

test('legacy /watch/ prefix', () => {
  assert.deepEqual(info('GET', '/api/v1/watch/pods'), res('watch', '', 'v1', '', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/watch/namespaces/default/pods'), res('watch', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/watch/namespaces/default/pods/web'), res('watch', '', 'v1', 'default', 'pods', 'web'));
  assert.deepEqual(info('GET', '/apis/apps/v1/watch/namespaces/a/deployments'), res('watch', 'apps', 'v1', 'a', 'deployments'));
  assert.deepEqual(info('GET', '/api/v1/watch/namespaces'), res('watch', '', 'v1', '', 'namespaces'));
});

test('watch query parameter turns a list into a watch', () => {
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods', 'watch=true'), res('watch', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods', 'watch=1'), res('watch', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods', 'watch=false'), res('list', '', 'v1', 'default', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods', 'watch=0'), res('list', '', 'v1', 'default', 'pods'));
  // watch is a GET-only notion: a POST with ?watch=true is a create.
  assert.deepEqual(info('POST', '/api/v1/namespaces/default/pods', 'watch=true'), res('create', '', 'v1', 'default', 'pods'));
});

test('watch query values other than false/0 mean watch, as kube', () => {
  // requestinfo.go: any value except "false"/"0" (case-insensitive) makes the verb watch.
  assert.deepEqual(info('GET', '/api/v1/pods', 'watch=True'), res('watch', '', 'v1', '', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/pods', 'watch=t'), res('watch', '', 'v1', '', 'pods'));
  assert.deepEqual(info('GET', '/api/v1/pods', 'watch=FALSE'), res('list', '', 'v1', '', 'pods'));
});

test('?watch=true on a named GET stays get, as kube', () => {
  // requestinfo.go only consults ?watch when the request names no object.
  assert.deepEqual(info('GET', '/api/v1/namespaces/default/pods/web', 'watch=true'), res('get', '', 'v1', 'default', 'pods', 'web'));
});

test('subresources', () => {
  assert.deepEqual(info('POST', '/api/v1/namespaces/d/pods/web/eviction'), res('create', '', 'v1', 'd', 'pods', 'web', 'eviction'));
  assert.deepEqual(info('GET', '/api/v1/namespaces/d/pods/web/log'), res('get', '', 'v1', 'd', 'pods', 'web', 'log'));
  assert.deepEqual(info('PATCH', '/api/v1/namespaces/d/pods/web/status'), res('patch', '', 'v1', 'd', 'pods', 'web', 'status'));
});
