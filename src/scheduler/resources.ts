// The resource arithmetic kube-scheduler does on pods and nodes: a pod's effective request (containers,
// init containers, sidecars, overhead, pod-level resources) and a node's allocatable, as integers
// (millicores, bytes) so that fitting and scoring never meet floating-point rounding.
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { quantityValue } from '../api/index.js';

/** Requests or capacity in the scheduler's units: millicores, bytes, and whole units for the rest. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources (example.com/gpu, hugepages-2Mi, ...). */
  scalars: Map<string, number>;
}

/** What the scheduler assumes a container without a CPU or memory request uses, for spreading only. */
const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalars: new Map() };
}

export function cloneResource(r: Resource): Resource {
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalars: new Map(r.scalars) };
}

/** Adds (sign 1) or removes (sign -1) `b` into `a`. */
export function addResource(a: Resource, b: Resource, sign = 1): void {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  for (const [name, value] of b.scalars) a.scalars.set(name, (a.scalars.get(name) ?? 0) + sign * value);
}

function maxResource(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [name, value] of b.scalars) a.scalars.set(name, Math.max(a.scalars.get(name) ?? 0, value));
}

/** Rounds up as resource.Quantity's Value/MilliValue do, without turning 0.1*1000 into 101. */
function roundUp(value: number): number {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) < 1e-6 ? nearest : Math.ceil(value);
}

/** Whether a resource name counts for fitting beyond cpu, memory, ephemeral-storage and pods. */
function isScalarResource(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('attachable-volumes-') || (name.includes('/') && !name.startsWith('kubernetes.io/'));
}

/** Converts a ResourceList into scheduler units; `pods` is returned apart since it limits counts, not sums. */
function resourceFromList(list: Readonly<Record<string, unknown>> | undefined): { resource: Resource; pods: number } {
  const resource = emptyResource();
  let pods = 0;
  if (!list) return { resource, pods };
  for (const [name, quantity] of Object.entries(list)) {
    const value = quantityValue(quantity);
    if (value === undefined) continue;
    if (name === 'cpu') resource.milliCPU += roundUp(value * 1000);
    else if (name === 'memory') resource.memory += roundUp(value);
    else if (name === 'ephemeral-storage') resource.ephemeralStorage += roundUp(value);
    else if (name === 'pods') pods += roundUp(value);
    else if (isScalarResource(name)) resource.scalars.set(name, (resource.scalars.get(name) ?? 0) + roundUp(value));
  }
  return { resource, pods };
}

/** spec.resources (pod-level resources, beta since 1.34), which kubernetes-types does not know yet. */
function podLevelResourceRequests(pod: Pod): Readonly<Record<string, unknown>> | undefined {
  return (pod.spec as { resources?: { requests?: Record<string, unknown> } } | undefined)?.resources?.requests;
}

function containerRequests(c: Container): Resource {
  return resourceFromList(c.resources?.requests).resource;
}

/**
 * The pod's effective request, as kube computes it: the sum of app containers and restartable init
 * containers (sidecars), or the largest single init container plus the sidecars started before it,
 * whichever is larger; pod-level requests replace the container sum for cpu and memory when set;
 * the runtime class overhead is added on top.
 */
export function podRequests(pod: Pod): Resource {
  return effectiveRequests(pod, containerRequests);
}

/**
 * CPU and memory with the scheduler's defaults for containers that request none: what scoring uses
 * so that many request-less pods do not all land on one node.
 */
export function podNonZeroRequests(pod: Pod): { milliCPU: number; memory: number } {
  const { milliCPU, memory } = effectiveRequests(pod, (c) => {
    const r = containerRequests(c);
    if (c.resources?.requests?.cpu === undefined) r.milliCPU = defaultMilliCPURequest;
    if (c.resources?.requests?.memory === undefined) r.memory = defaultMemoryRequest;
    return r;
  });
  return { milliCPU, memory };
}

function effectiveRequests(pod: Pod, requestsOf: (c: Container) => Resource): Resource {
  const spec = pod.spec;
  const total = emptyResource();
  if (!spec) return total;
  for (const c of spec.containers ?? []) addResource(total, requestsOf(c));
  const sidecars = emptyResource();
  const initPeak = emptyResource();
  for (const c of spec.initContainers ?? []) {
    const request = requestsOf(c);
    if (c.restartPolicy === 'Always') {
      addResource(sidecars, request);
      maxResource(initPeak, sidecars);
    } else {
      const during = cloneResource(sidecars);
      addResource(during, request);
      maxResource(initPeak, during);
    }
  }
  addResource(total, sidecars);
  maxResource(total, initPeak);
  const podLevelRequests = podLevelResourceRequests(pod);
  const podLevel = resourceFromList(podLevelRequests).resource;
  if (podLevelRequests?.cpu !== undefined) total.milliCPU = podLevel.milliCPU;
  if (podLevelRequests?.memory !== undefined) total.memory = podLevel.memory;
  if (spec.overhead) addResource(total, resourceFromList(spec.overhead).resource);
  return total;
}

/** A node's allocatable (falling back to capacity, as the kubelet reports both). */
export function nodeAllocatable(node: Node): { resource: Resource; pods: number } {
  return resourceFromList(node.status?.allocatable ?? node.status?.capacity);
}
