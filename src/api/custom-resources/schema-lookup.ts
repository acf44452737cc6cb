// The structural schema of a custom kind as served right now: what server-side apply reads for
// list types (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`) and map types of custom resources.
import type { StructuralSchema } from './structural-schema.js';
import { dynamicResources } from './dynamic-resources.js';

/** The schema of a served custom resource version by kind, or undefined for built-ins and unknown kinds. */
export function customResourceSchema(group: string, version: string, kind: string): StructuralSchema | undefined {
  return dynamicResources.list().find((r) => r.group === group && r.version === version && r.kind === kind)?.custom?.schema;
}
