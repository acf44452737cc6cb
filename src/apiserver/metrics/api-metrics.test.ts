import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestInfo, type ResourceRequest } from '../request-info.js';
import { ApiMetrics, reportedVerb, requestScope } from './api-metrics.js';
import { storageType } from './storage-type.js';

function resource(method: string, target: string): ResourceRequest {
  const url = new URL(target, 'https://x');
  const info = parseRequestInfo(method, url.pathname, url.searchParams);
  assert.equal(info.kind, 'resource');
  return info;
}

test('verbs and scopes are reported as kube-apiserver reports them', () => {
  const cases: [string, string, string | undefined, string, string][] = [
    ['GET', '/api/v1/pods', undefined, 'LIST', 'cluster'],
    ['GET', '/api/v1/namespaces/a/pods', undefined, 'LIST', 'namespace'],
    ['GET', '/api/v1/namespaces/a/pods?watch=true', undefined, 'WATCH', 'namespace'],
    ['GET', '/api/v1/watch/namespaces/a/pods', undefined, 'WATCH', 'namespace'],
    ['GET', '/api/v1/namespaces/a/pods/p', undefined, 'GET', 'resource'],
    ['HEAD', '/api/v1/namespaces/a/pods/p', undefined, 'GET', 'resource'],
    ['POST', '/apis/apps/v1/namespaces/a/deployments', 'application/json', 'POST', 'namespace'],
    ['PUT', '/api/v1/namespaces/a', 'application/json', 'PUT', 'resource'],
    ['PATCH', '/api/v1/nodes/n', 'application/merge-patch+json', 'PATCH', 'resource'],
    ['PATCH', '/api/v1/nodes/n', 'application/apply-patch+yaml', 'APPLY', 'resource'],
    ['DELETE', '/api/v1/namespaces/a/pods/p', undefined, 'DELETE', 'resource'],
    ['DELETE', '/api/v1/namespaces/a/pods', undefined, 'DELETE', 'namespace'],
  ];
  for (const [method, path, contentType, verb, scope] of cases) {
    const info = resource(method, path);
    assert.equal(reportedVerb(info, method, contentType), verb, `${method} ${path}`);
    assert.equal(requestScope(info), scope, `${method} ${path}`);
  }
});

test('requests count by code, time outside watches, and watches show while open', async () => {
  const metrics = new ApiMetrics({ processMetrics: false });
  const get = metrics.beginResource(resource('GET', '/api/v1/namespaces/a/pods/p'), 'GET', undefined, null);
  metrics.end(get, 200);
  metrics.end(metrics.beginResource(resource('GET', '/api/v1/namespaces/a/pods/q'), 'GET', undefined, null), 404);
  metrics.end(metrics.beginResource(resource('POST', '/api/v1/namespaces/a/pods?dryRun=All'), 'POST', 'application/json', 'All'), 201);
  const watch = metrics.beginResource(resource('GET', '/api/v1/pods?watch=1'), 'GET', undefined, null);
  const open = await metrics.text();
  assert.match(
    open,
    /^apiserver_longrunning_requests\{verb="WATCH",group="",version="v1",resource="pods",subresource="",scope="cluster",component="apiserver"\} 1$/m,
  );
  metrics.end(watch, 200);
  metrics.end(metrics.beginNonResource('/healthz/etcd'), 200);
  metrics.end(metrics.beginNonResource('/no/such/path'), 404);
  const text = await metrics.text();
  const labels = (verb: string, dry: string, scope: string) =>
    `verb="${verb}",dry_run="${dry}",group="",version="v1",resource="pods",subresource="",scope="${scope}",component="apiserver"`;
  assert.match(text, new RegExp(`^apiserver_request_total\\{${labels('GET', '', 'resource')},code="200"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^apiserver_request_total\\{${labels('GET', '', 'resource')},code="404"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^apiserver_request_total\\{${labels('POST', 'All', 'namespace')},code="201"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^apiserver_request_total\\{${labels('WATCH', '', 'cluster')},code="200"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^apiserver_request_duration_seconds_count\\{${labels('GET', '', 'resource')}\\} 2$`, 'm'));
  assert.match(text, new RegExp(`^apiserver_request_duration_seconds_bucket\\{${labels('GET', '', 'resource')},le="0.005"\\} \\d$`, 'm'));
  assert.match(text, /^apiserver_request_duration_seconds_bucket\{.*,le="60"\} 2$/m);
  assert.doesNotMatch(text, /apiserver_request_duration_seconds_count\{verb="WATCH"/);
  assert.match(text, /^apiserver_longrunning_requests\{verb="WATCH",.*\} 0$/m);
  assert.match(
    text,
    /^apiserver_request_total\{verb="GET",dry_run="",group="",version="",resource="",subresource="\/healthz",scope="",component="apiserver",code="200"\} 1$/m,
  );
  assert.match(text, /^apiserver_request_total\{.*subresource="other".*code="404"\} 1$/m);
  assert.doesNotMatch(text, /process_resident_memory_bytes/);
});

test('storage latency, watch events and object counts carry kube names and labels', async () => {
  const metrics = new ApiMetrics({ processMetrics: false });
  metrics.observeStorage('get', storageType('/registry/apps/deployments/a/d'), 0.003);
  metrics.observeStorage('list', storageType('/registry/core/pods/'), 0.07);
  metrics.watchEventCounter('apps', 'v1', 'Deployment').inc();
  metrics.countObjectsWith(async () => new Map([['pods', 3]]));
  const text = await metrics.text();
  assert.match(text, /^etcd_request_duration_seconds_count\{operation="get",type="deployments\.apps"\} 1$/m);
  assert.match(text, /^etcd_request_duration_seconds_bucket\{operation="list",type="pods",le="0\.05"\} 0$/m);
  assert.match(text, /^etcd_request_duration_seconds_bucket\{operation="list",type="pods",le="0\.1"\} 1$/m);
  assert.match(text, /^apiserver_watch_events_total\{group="apps",version="v1",kind="Deployment"\} 1$/m);
  assert.match(text, /^apiserver_storage_objects\{resource="pods"\} 3$/m);
});

test('process metrics are on by default', async () => {
  const text = await new ApiMetrics().text();
  assert.match(text, /^process_resident_memory_bytes \d+/m);
  assert.match(text, /^process_cpu_seconds_total [\d.e+-]+$/m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
});

test('storage types name the resource of a key or prefix', () => {
  assert.equal(storageType('/registry/core/pods/ns/p'), 'pods');
  assert.equal(storageType('/registry/core/namespaces/'), 'namespaces');
  assert.equal(storageType('/registry/apps/deployments'), 'deployments.apps');
  assert.equal(storageType(''), 'other');
  assert.equal(storageType('/elsewhere/x'), 'other');
});

test('paths naming no served resource share one series, so the label set stays bounded', async () => {
  const metrics = new ApiMetrics({ processMetrics: false });
  for (let i = 0; i < 50; i++) {
    metrics.end(metrics.beginResource(resource('GET', `/apis/made.up/v1/things${i}`), 'GET', undefined, null), 404);
    metrics.end(metrics.beginResource(resource('GET', `/api/v1/namespaces/a/pods/p/nosuch${i}`), 'GET', undefined, null), 404);
    metrics.end(metrics.beginNonResource(`/readyz/check${i}`), 200);
  }
  const text = await metrics.text();
  assert.match(text, /^apiserver_request_total\{.*subresource="other".*code="404"\} 100$/m);
  assert.match(text, /^apiserver_request_total\{.*subresource="\/readyz".*code="200"\} 50$/m);
  assert.equal(text.split('\n').filter((l) => l.startsWith('apiserver_request_total{')).length, 2);
});
