// The shape of the API type facts: wire-format facts (JSON names, types, protobuf numbers, patch
// strategies, list types, required fields) derived from kubernetes/api and kubernetes/apimachinery
// by tools/gen-api-facts into facts.json. Everything that needs to know a type's shape reads these.

/** A field's value type. `ref` names another type in the catalogue by its definition name. */
export type FieldType =
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int32' }
  | { readonly kind: 'int64' }
  | { readonly kind: 'double' }
  /** []byte: base64 text in JSON, bytes in protobuf. */
  | { readonly kind: 'bytes' }
  | { readonly kind: 'ref'; readonly type: string }
  /**
   * `wrapped`: a named slice type (meta/v1 Verbs, authentication ExtraValue) that protobuf carries as
   * a message whose field 1 repeats the items; JSON still writes a plain array.
   */
  | { readonly kind: 'array'; readonly items: FieldType; readonly wrapped?: boolean }
  | { readonly kind: 'map'; readonly values: FieldType };

/**
 * Types whose JSON form differs from their protobuf message (handled by name in codecs and schemas):
 * quantity (JSON string), time and micro-time (RFC 3339 string; protobuf Timestamp), duration (string),
 * int-or-string, raw-extension (embedded object), fields-v1 (embedded object; protobuf raw bytes),
 * json (apiextensions JSON: any value).
 */
export type SpecialType = 'quantity' | 'time' | 'micro-time' | 'duration' | 'int-or-string' | 'raw-extension' | 'fields-v1' | 'json';

export interface FieldFacts {
  /** JSON name. */
  readonly name: string;
  readonly type: FieldType;
  /** Protobuf field number (absent for fields not in the protobuf message, such as inlined TypeMeta). */
  readonly proto?: number;
  /** Go pointer or protobuf `optional`: absent differs from the zero value. */
  readonly pointer?: boolean;
  /** `+required`, or a JSON tag without omitempty on a non-pointer field with no `+optional`. */
  readonly required?: boolean;
  readonly patchStrategy?: string;
  readonly patchMergeKey?: string;
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  readonly mapType?: 'atomic' | 'granular';
  readonly structType?: 'atomic' | 'granular';
  /** JSON tag has `omitempty`: Go leaves out false, 0, "", empty lists/maps and nil pointers (never structs). */
  readonly omitEmpty?: boolean;
  /** JSON tag has `omitzero`: Go leaves out the zero value, structs included (zero Time too). */
  readonly omitZero?: boolean;
  /**
   * Set on fields promoted from an inlined (embedded) struct that protobuf keeps as a nested message:
   * the protobuf field numbers leading to the message that holds `proto` (e.g. Volume's VolumeSource is [2]).
   */
  readonly embeddedIn?: readonly number[];
  /** Allowed string values (`+enum` Go types), for the value itself or a list's items. */
  readonly enum?: readonly string[];
  /** The `+default=` marker's JSON value, which kube-apiserver publishes in OpenAPI and applies. */
  readonly default?: unknown;
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface TypeFacts {
  /** Definition name as OpenAPI writes it, e.g. `io.k8s.api.core.v1.Pod`. */
  readonly name: string;
  readonly special?: SpecialType;
  /** Set on top-level kinds (those with TypeMeta): the group/version/kinds this type serves. */
  readonly gvk?: readonly GroupVersionKind[];
  readonly fields: readonly FieldFacts[];
  /** An enum of string values, when the Go type declares one (`+enum`). */
  readonly enum?: readonly string[];
  /** `+structType=atomic` on the Go type: the whole object is replaced, never merged field by field. */
  readonly structType?: 'atomic' | 'granular';
}

export interface FactsCatalogue {
  /** Upstream commits of kubernetes/api and kubernetes/apimachinery the facts were generated from. */
  readonly source?: { readonly api: string; readonly apimachinery: string };
  readonly types: Readonly<Record<string, TypeFacts>>;
}
