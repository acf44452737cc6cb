// The shape of a catalogue entry: what the server knows about one group/version/resource, built in
// (resources.ts) or defined by a CustomResourceDefinition (custom-resources/). Types only, so the
// catalogue and the custom-resource registry can both use them without importing each other.
import type { StructuralSchema } from './custom-resources/structural-schema.js';
import type { Strategy } from './strategies/strategy.js';

export interface SubresourceInfo {
  readonly name: string;
  readonly verbs: readonly string[];
  /** The kind the subresource reads and writes, when it is not the parent's own (scale, binding, eviction). */
  readonly kind?: { readonly group: string; readonly version: string; readonly kind: string };
}

export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  /** Plural resource name as in URLs (`pods`). */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly SubresourceInfo[];
  /** Where objects live: the storage group and resource shared by every version serving it. */
  readonly storage: { readonly group: string; readonly resource: string; readonly version: string };
  /** Set for custom resources: what their CRD version says about schema, columns and subresources. */
  readonly custom?: CustomResourceInfo;
}

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

export interface ScalePaths {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

export interface CustomPrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface CustomResourceInfo {
  /** The CRD's name (`<plural>.<group>`). */
  readonly crdName: string;
  readonly schema: StructuralSchema | undefined;
  readonly printerColumns: readonly CustomPrinterColumn[];
  readonly selectableFields: readonly string[];
  readonly deprecationWarning?: string;
  readonly scale?: ScalePaths;
  readonly strategy: Strategy;
}
