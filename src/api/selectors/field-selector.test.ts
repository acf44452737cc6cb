import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import { parseFieldSelector } from './field-selector.js';

function parseError(text: string, group: string, resource: string): string {
  try {
    parseFieldSelector(text, group, resource);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail('expected rejection');
}

const pod = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always' },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
};

test('pod fields match, with = == and !=', () => {
  assert.equal(parseFieldSelector('spec.nodeName=node-a,status.phase!=Failed', '', 'pods').matches(pod), true);
  assert.equal(parseFieldSelector('status.podIP==10.0.0.5', '', 'pods').matches(pod), true);
  assert.equal(parseFieldSelector('spec.hostNetwork=false', '', 'pods').matches(pod), true);
  assert.equal(parseFieldSelector('metadata.name=web-2', '', 'pods').matches(pod), false);
  // Old clients' spec.host selects on the node name.
  assert.equal(parseFieldSelector('spec.host=node-a', '', 'pods').matches(pod), true);
});

test('escaped commas and equals signs belong to the value', () => {
  const s = parseFieldSelector('metadata.name=a\\,b\\=c', '', 'configmaps');
  assert.equal(s.matches({ metadata: { name: 'a,b=c' } }), true);
  assert.equal(s.toString(), 'metadata.name=a\\,b\\=c');
});

test('empty selector matches all', () => {
  assert.equal(parseFieldSelector('', '', 'pods').isEverything(), true);
});

test('unsupported fields give the per-kind or default message', () => {
  assert.equal(parseError('spec.replicas=1', '', 'pods'), 'field label not supported: spec.replicas');
  assert.equal(parseError('metadata.namespace=x', '', 'nodes'), 'field label not supported: metadata.namespace');
  assert.equal(parseError('data.x=1', '', 'configmaps'), '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
  assert.equal(parseError('status.active=1', 'batch', 'jobs'), 'field label "status.active" not supported for batchv1.Job');
});

test('syntax errors', () => {
  assert.equal(parseError('foo', '', 'pods'), "invalid selector: 'foo'; can't understand 'foo'");
  assert.equal(parseError('metadata.name=a\\b', '', 'pods'), 'invalid field selector: invalid escape sequence: \\b');
  assert.equal(parseError('metadata.name=a=b', '', 'pods'), 'invalid field selector: unescaped character in value: 61');
});

test('events: core names, events.k8s.io names mapped onto the same fields', () => {
  const core = { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'web-1' }, source: { component: 'kubelet' }, type: 'Warning' };
  assert.equal(parseFieldSelector('involvedObject.kind=Pod,source=kubelet,type=Warning', '', 'events').matches(core), true);
  const modern = { metadata: { name: 'e' }, regarding: { kind: 'Pod', name: 'web-1' }, reportingController: 'kubelet', type: 'Normal' };
  assert.equal(parseFieldSelector('regarding.name=web-1,reportingController=kubelet', 'events.k8s.io', 'events').matches(modern), true);
  assert.equal(parseError('source=x', 'events.k8s.io', 'events'), 'field label not supported: source');
});

test('other per-kind fields', () => {
  assert.equal(parseFieldSelector('type=kubernetes.io/tls', '', 'secrets').matches({ type: 'kubernetes.io/tls' }), true);
  assert.equal(parseFieldSelector('spec.unschedulable=false', '', 'nodes').matches({ spec: {} }), true);
  assert.equal(parseFieldSelector('status.successful=0', 'batch', 'jobs').matches({ status: {} }), true);
  assert.equal(parseFieldSelector('status.replicas=3', '', 'replicationcontrollers').matches({ status: { replicas: 3 } }), true);
  assert.equal(parseFieldSelector('spec.type=NodePort', '', 'services').matches({ spec: { type: 'NodePort' } }), true);
  assert.equal(parseFieldSelector('spec.signerName=x/y', 'certificates.k8s.io', 'certificatesigningrequests').matches({ spec: { signerName: 'x/y' } }), true);
});

test('custom resources accept their selectable fields', () => {
  const s = parseFieldSelector('spec.color=red', 'example.com', 'widgets', { customFields: ['spec.color'] });
  assert.equal(s.matches({ spec: { color: 'red' } }), true);
  assert.throws(
    () => parseFieldSelector('metadata.namespace=a', 'example.com', 'gizmos', { customFields: [], clusterScoped: true }),
    /field label not supported: metadata.namespace/,
  );
});
