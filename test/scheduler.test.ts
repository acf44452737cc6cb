// The scheduler inside a real `skiff server`, driven by kubectl 1.35 as a user would: Node objects
// created with kubectl, pods placed on the node that fits, kube-scheduler's reasons for a pod that
// fits nowhere (describe's Events and the PodScheduled condition), scheduling once a node that fits
// arrives, preemption of a lower-priority pod, and pods for another scheduler left alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientPath, kubectl135, runKubectl, startServer, type ClientTool, type TestServer } from './support/index.js';

const node = (name: string, cpu: string, taint?: string) => `
apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: {kubernetes.io/hostname: ${name}}
${taint ? `spec:\n  taints: [{key: ${taint}, effect: NoSchedule}]\n` : ''}status:
  capacity: {cpu: "${cpu}", memory: 16Gi, pods: "110"}
  allocatable: {cpu: "${cpu}", memory: 16Gi, pods: "110"}
  conditions: [{type: Ready, status: "True", reason: KubeletReady, message: ready}]
`;

const pod = (name: string, cpu: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}  containers:
  - name: app
    image: nginx:1.27
    resources: {requests: {cpu: "${cpu}", memory: 64Mi}}
`;

describe('scheduler', async () => {
  const client: ClientTool = await kubectl135();
  let server: TestServer;
  let bin: string;
  const k = (args: string[], stdin?: string) => runKubectl(bin, server.kubeconfig, args, stdin === undefined ? {} : { stdin });
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await k(args, stdin);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** Polls a kubectl query until `done` holds for its output (at most 20 s); returns the last output. */
  const waitFor = async (args: string[], done: (out: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 20_000;
    let out = '';
    while (Date.now() < deadline) {
      const r = await k(args);
      out = r.stdout;
      if (r.code === 0 && done(out)) return out;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.fail(`kubectl ${args.join(' ')} never matched; last output:\n${out}`);
  };
  const nodeOf = (name: string) => waitFor(['get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}'], (out) => out !== '');

  const unschedulable =
    '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.';

  before(async () => {
    if (client.skip) return;
    bin = clientPath(client);
    server = await startServer();
    await ok(['apply', '-f', '-'], node('worker', '2') + '---' + node('master', '8', 'node-role.kubernetes.io/master'));
  });
  after(async () => server?.stop());

  test('a pod is bound to the node it fits on', { skip: client.skip }, async () => {
    await ok(['apply', '-f', '-'], pod('web', '1'));
    assert.equal(await nodeOf('web'), 'worker');
    const described = await ok(['describe', 'pod', 'web']);
    assert.match(described, /^Node:\s+worker\/$/m);
    assert.match(described, /^\s+Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/web to worker$/m);
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}']), 'True');
  });

  test('a pod that fits nowhere says why, as kube-scheduler does, until a node that fits arrives', { skip: client.skip }, async () => {
    await ok(['apply', '-f', '-'], pod('huge', '4'));
    const described = await waitFor(['describe', 'pod', 'huge'], (out) => out.includes('FailedScheduling'));
    assert.ok(
      described.split('\n').some((line) => /^\s+Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+/.test(line) && line.endsWith(unschedulable)),
      `describe shows no FailedScheduling event with the kube message:\n${described}`,
    );
    assert.match(described, /^Node:\s+<none>$/m);
    const condition = JSON.parse(await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")]}'])) as Record<string, unknown>;
    assert.equal(condition.status, 'False');
    assert.equal(condition.reason, 'Unschedulable');
    assert.equal(condition.message, unschedulable);
    assert.match(await ok(['get', 'pod', 'huge']), /^huge\s+0\/1\s+Pending\s+0\s+\d+s$/m);

    await ok(['apply', '-f', '-'], node('big', '8'));
    assert.equal(await nodeOf('huge'), 'big');
  });

  test('a higher-priority pod preempts a lower-priority one', { skip: client.skip }, async () => {
    await ok(['create', 'priorityclass', 'high', '--value=1000']);
    // Only big (8 cpu, 4 taken by huge) could take 5 cpu, and only without huge.
    await ok(['apply', '-f', '-'], pod('vip', '5', '  priorityClassName: high\n'));
    assert.equal(await waitFor(['get', 'pod', 'vip', '-o', 'jsonpath={.status.nominatedNodeName}'], (out) => out !== ''), 'big');
    const victim = await waitFor(['get', 'pod', 'huge', '-o', 'jsonpath={.metadata.deletionTimestamp}'], (out) => out !== '');
    assert.ok(victim);
    const vipUid = await ok(['get', 'pod', 'vip', '-o', 'jsonpath={.metadata.uid}']);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=huge,reason=Preempted', '-o', 'jsonpath={.items[*].message}']);
    assert.equal(events, `Preempted by pod ${vipUid} on node big`);
    const disruption = await ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="DisruptionTarget")].reason}']);
    assert.equal(disruption, 'PreemptionByScheduler');
    const vipEvents = await ok(['get', 'events', '--field-selector', 'involvedObject.name=vip,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']);
    assert.equal(vipEvents, '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.');
    // No kubelet here: finish the victim's graceful deletion as one would.
    await ok(['delete', 'pod', 'huge', '--grace-period=0', '--force']);
    assert.equal(await nodeOf('vip'), 'big');
  });

  test('a pod with scheduling gates waits until they are removed', { skip: client.skip }, async () => {
    await ok(['apply', '-f', '-'], pod('gated', '100m', '  schedulingGates: [{name: example.com/hold}]\n'));
    assert.equal(
      await waitFor(['get', 'pod', 'gated', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}'], (out) => out !== ''),
      'SchedulingGated',
    );
    assert.match(await ok(['get', 'pod', 'gated']), /^gated\s+0\/1\s+SchedulingGated\s+0\s+\d+s$/m);
    await ok(['patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates"}]']);
    await nodeOf('gated');
  });

  test('pods for another scheduler are left alone', { skip: client.skip }, async () => {
    await ok(['apply', '-f', '-'], pod('elsewhere', '100m', '  schedulerName: other-scheduler\n'));
    await ok(['apply', '-f', '-'], pod('after', '100m'));
    // Once a later pod is placed, the scheduler has long seen the earlier one.
    await nodeOf('after');
    assert.equal(await ok(['get', 'pod', 'elsewhere', '-o', 'jsonpath={.spec.nodeName}']), '');
    assert.equal(await ok(['get', 'events', '--field-selector', 'involvedObject.name=elsewhere', '-o', 'name']), '');
  });
});
