// Encodes a Swagger 2.0 JSON document as the protobuf message `openapi.v2.Document` of
// google/gnostic (OpenAPIv2.proto), the form older clients (kubectl up to 1.26, `explain` and
// validation) download from /openapi/v2 with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`.
import yaml from 'js-yaml';
import { ProtoWriter } from '../api/index.js';
import { isRecord } from '../lang/index.js';

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | undefined {
  return isRecord(v) ? v : undefined;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isExtension(key: string): boolean {
  return key.startsWith('x-');
}

/** Writes proto3 scalars the way Go does: zero values are left out. */
function str(w: ProtoWriter, n: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.string(n, v);
}

function strings(w: ProtoWriter, n: number, v: unknown): void {
  for (const s of asArray(v)) if (typeof s === 'string') w.string(n, s);
}

function bool(w: ProtoWriter, n: number, v: unknown): void {
  if (v === true) w.varint(n, 1);
}

function int64(w: ProtoWriter, n: number, v: unknown): void {
  if (typeof v === 'number' && Number.isFinite(v) && v !== 0) w.varint(n, BigInt(Math.trunc(v)));
}

function double(w: ProtoWriter, n: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.fixed64Double(n, v);
}

function message(w: ProtoWriter, n: number, bytes: Uint8Array | undefined): void {
  if (bytes) w.bytes(n, bytes);
}

/**
 * gnostic's `Any` keeps free-form values as YAML text (its `google.protobuf.Any` stays empty);
 * clients read extensions back by parsing that text.
 */
function anyValue(value: unknown): Uint8Array {
  return new ProtoWriter().string(2, yaml.dump(value, { lineWidth: -1, noRefs: true })).finish();
}

function namedAny(name: string, value: unknown): Uint8Array {
  return new ProtoWriter().string(1, name).bytes(2, anyValue(value)).finish();
}

function vendorExtensions(w: ProtoWriter, n: number, obj: Json): void {
  for (const [key, value] of Object.entries(obj)) if (isExtension(key)) w.bytes(n, namedAny(key, value));
}

/** `NamedX {name = 1; value = 2}` maps, in the document's key order. */
function namedMap(w: ProtoWriter, n: number, obj: unknown, encode: (value: unknown) => Uint8Array | undefined, skipExtensions = false): void {
  for (const [name, value] of Object.entries(asObject(obj) ?? {})) {
    if (skipExtensions && isExtension(name)) continue;
    const bytes = encode(value);
    if (bytes) w.bytes(n, new ProtoWriter().string(1, name).bytes(2, bytes).finish());
  }
}

function wrap(n: number, bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes && new ProtoWriter().bytes(n, bytes).finish();
}

function externalDocs(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.description);
  str(w, 2, o.url);
  vendorExtensions(w, 3, o);
  return w.finish();
}

function xml(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.name);
  str(w, 2, o.namespace);
  str(w, 3, o.prefix);
  bool(w, 4, o.attribute);
  bool(w, 5, o.wrapped);
  vendorExtensions(w, 6, o);
  return w.finish();
}

function schema(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.$ref);
  str(w, 2, o.format);
  str(w, 3, o.title);
  str(w, 4, o.description);
  if (o.default !== undefined) w.bytes(5, anyValue(o.default));
  double(w, 6, o.multipleOf);
  double(w, 7, o.maximum);
  bool(w, 8, o.exclusiveMaximum);
  double(w, 9, o.minimum);
  bool(w, 10, o.exclusiveMinimum);
  int64(w, 11, o.maxLength);
  int64(w, 12, o.minLength);
  str(w, 13, o.pattern);
  int64(w, 14, o.maxItems);
  int64(w, 15, o.minItems);
  bool(w, 16, o.uniqueItems);
  int64(w, 17, o.maxProperties);
  int64(w, 18, o.minProperties);
  strings(w, 19, o.required);
  for (const e of asArray(o.enum)) w.bytes(20, anyValue(e));
  if (typeof o.additionalProperties === 'boolean') {
    // A oneof member is written even when false: its presence is the information.
    w.bytes(21, new ProtoWriter().varint(2, o.additionalProperties ? 1 : 0).finish());
  } else {
    message(w, 21, wrap(1, schema(o.additionalProperties)));
  }
  if (o.type !== undefined) {
    const t = new ProtoWriter();
    strings(t, 1, Array.isArray(o.type) ? o.type : [o.type]);
    w.bytes(22, t.finish());
  }
  if (o.items !== undefined) {
    const items = new ProtoWriter();
    for (const item of Array.isArray(o.items) ? o.items : [o.items]) message(items, 1, schema(item));
    w.bytes(23, items.finish());
  }
  for (const s of asArray(o.allOf)) message(w, 24, schema(s));
  if (asObject(o.properties)) {
    const props = new ProtoWriter();
    namedMap(props, 1, o.properties, schema);
    w.bytes(25, props.finish());
  }
  str(w, 26, o.discriminator);
  bool(w, 27, o.readOnly);
  message(w, 28, xml(o.xml));
  message(w, 29, externalDocs(o.externalDocs));
  if (o.example !== undefined) w.bytes(30, anyValue(o.example));
  vendorExtensions(w, 31, o);
  return w.finish();
}

/**
 * The validation keywords shared by non-body parameters, `items` of primitives and headers: the
 * same run of fields from `type` to `multipleOf`, starting at a different number in each message.
 */
function primitiveFields(w: ProtoWriter, base: number, o: Json): void {
  str(w, base, o.type);
  str(w, base + 1, o.format);
  message(w, base + 2, primitivesItems(o.items));
  str(w, base + 3, o.collectionFormat);
  if (o.default !== undefined) w.bytes(base + 4, anyValue(o.default));
  double(w, base + 5, o.maximum);
  bool(w, base + 6, o.exclusiveMaximum);
  double(w, base + 7, o.minimum);
  bool(w, base + 8, o.exclusiveMinimum);
  int64(w, base + 9, o.maxLength);
  int64(w, base + 10, o.minLength);
  str(w, base + 11, o.pattern);
  int64(w, base + 12, o.maxItems);
  int64(w, base + 13, o.minItems);
  bool(w, base + 14, o.uniqueItems);
  for (const e of asArray(o.enum)) w.bytes(base + 15, anyValue(e));
  double(w, base + 16, o.multipleOf);
}

function primitivesItems(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  primitiveFields(w, 1, o);
  vendorExtensions(w, 18, o);
  return w.finish();
}

function header(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  primitiveFields(w, 1, o);
  str(w, 18, o.description);
  vendorExtensions(w, 19, o);
  return w.finish();
}

/** Non-body parameter sub-schemas: which oneof member, and where `type` starts in it. */
const nonBodyLayouts: Record<string, { member: number; typeField: number; allowEmptyValue?: number }> = {
  header: { member: 1, typeField: 5 },
  formData: { member: 2, typeField: 6, allowEmptyValue: 5 },
  query: { member: 3, typeField: 6, allowEmptyValue: 5 },
  path: { member: 4, typeField: 5 },
};

function jsonReference(o: Json): Uint8Array {
  const w = new ProtoWriter();
  str(w, 1, o.$ref);
  str(w, 2, o.description);
  return w.finish();
}

/** `Parameter`: a oneof of body parameter and non-body parameter. */
function parameter(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  if (o.in === 'body') {
    str(w, 1, o.description);
    str(w, 2, o.name);
    str(w, 3, o.in);
    bool(w, 4, o.required);
    message(w, 5, schema(o.schema));
    vendorExtensions(w, 6, o);
    return wrap(1, w.finish());
  }
  const layout = typeof o.in === 'string' ? nonBodyLayouts[o.in] : undefined;
  if (!layout) throw new Error(`openapi v2 parameter ${String(o.name)}: unknown location ${String(o.in)}`);
  bool(w, 1, o.required);
  str(w, 2, o.in);
  str(w, 3, o.description);
  str(w, 4, o.name);
  if (layout.allowEmptyValue) bool(w, layout.allowEmptyValue, o.allowEmptyValue);
  primitiveFields(w, layout.typeField, o);
  vendorExtensions(w, layout.typeField + 17, o);
  return wrap(2, wrap(layout.member, w.finish()));
}

/** `ParametersItem`: a parameter or a `$ref` to one. */
function parametersItem(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  return typeof o.$ref === 'string' ? wrap(2, jsonReference(o)) : wrap(1, parameter(o));
}

function response(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.description);
  const s = asObject(o.schema);
  if (s) message(w, 2, s.type === 'file' ? wrap(2, fileSchema(s)) : wrap(1, schema(s)));
  if (asObject(o.headers)) {
    const headers = new ProtoWriter();
    namedMap(headers, 1, o.headers, header);
    w.bytes(3, headers.finish());
  }
  if (asObject(o.examples)) {
    const examples = new ProtoWriter();
    namedMap(examples, 1, o.examples, anyValue);
    w.bytes(4, examples.finish());
  }
  vendorExtensions(w, 5, o);
  return w.finish();
}

function fileSchema(o: Json): Uint8Array {
  const w = new ProtoWriter();
  str(w, 1, o.format);
  str(w, 2, o.title);
  str(w, 3, o.description);
  if (o.default !== undefined) w.bytes(4, anyValue(o.default));
  strings(w, 5, o.required);
  str(w, 6, o.type);
  bool(w, 7, o.readOnly);
  message(w, 8, externalDocs(o.externalDocs));
  if (o.example !== undefined) w.bytes(9, anyValue(o.example));
  vendorExtensions(w, 10, o);
  return w.finish();
}

function responseValue(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  return typeof o.$ref === 'string' ? wrap(2, jsonReference(o)) : wrap(1, response(o));
}

function securityRequirements(w: ProtoWriter, n: number, v: unknown): void {
  for (const requirement of asArray(v)) {
    const r = new ProtoWriter();
    namedMap(r, 1, requirement, (scopes) => {
      const s = new ProtoWriter();
      strings(s, 1, scopes);
      return s.finish();
    });
    w.bytes(n, r.finish());
  }
}

function operation(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  strings(w, 1, o.tags);
  str(w, 2, o.summary);
  str(w, 3, o.description);
  message(w, 4, externalDocs(o.externalDocs));
  str(w, 5, o.operationId);
  strings(w, 6, o.produces);
  strings(w, 7, o.consumes);
  for (const p of asArray(o.parameters)) message(w, 8, parametersItem(p));
  if (asObject(o.responses)) {
    const r = new ProtoWriter();
    namedMap(r, 1, o.responses, responseValue, true);
    vendorExtensions(r, 2, asObject(o.responses) ?? {});
    w.bytes(9, r.finish());
  }
  strings(w, 10, o.schemes);
  bool(w, 11, o.deprecated);
  securityRequirements(w, 12, o.security);
  vendorExtensions(w, 13, o);
  return w.finish();
}

const pathItemMethods = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 } as const;

function pathItem(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.$ref);
  for (const [method, n] of Object.entries(pathItemMethods)) message(w, n, operation(o[method]));
  for (const p of asArray(o.parameters)) message(w, 9, parametersItem(p));
  vendorExtensions(w, 10, o);
  return w.finish();
}

function info(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const contact = asObject(o.contact);
  const license = asObject(o.license);
  const w = new ProtoWriter();
  str(w, 1, o.title);
  str(w, 2, o.version);
  str(w, 3, o.description);
  str(w, 4, o.termsOfService);
  if (contact) {
    const c = new ProtoWriter();
    str(c, 1, contact.name);
    str(c, 2, contact.url);
    str(c, 3, contact.email);
    vendorExtensions(c, 4, contact);
    w.bytes(5, c.finish());
  }
  if (license) {
    const l = new ProtoWriter();
    str(l, 1, license.name);
    str(l, 2, license.url);
    vendorExtensions(l, 3, license);
    w.bytes(6, l.finish());
  }
  vendorExtensions(w, 7, o);
  return w.finish();
}

/** Security scheme objects: the oneof member follows `type`, and for OAuth2 also `flow`. */
function securityDefinitionsItem(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.type);
  if (o.type === 'basic') {
    str(w, 2, o.description);
    vendorExtensions(w, 3, o);
    return wrap(1, w.finish());
  }
  if (o.type === 'apiKey') {
    str(w, 2, o.name);
    str(w, 3, o.in);
    str(w, 4, o.description);
    vendorExtensions(w, 5, o);
    return wrap(2, w.finish());
  }
  if (o.type !== 'oauth2') throw new Error(`openapi v2 security definition: unknown type ${String(o.type)}`);
  const member = ({ implicit: 3, password: 4, application: 5, accessCode: 6 } as Record<string, number>)[String(o.flow)];
  if (!member) throw new Error(`openapi v2 security definition: unknown oauth2 flow ${String(o.flow)}`);
  str(w, 2, o.flow);
  const scopes = new ProtoWriter();
  namedMap(scopes, 1, o.scopes, (s) => (typeof s === 'string' ? new TextEncoder().encode(s) : undefined));
  w.bytes(3, scopes.finish());
  // The URL fields sit between scopes and description, and only the flows that use them have them.
  let n = 4;
  if (member === 3 || member === 6) str(w, n++, o.authorizationUrl);
  if (member !== 3) str(w, n++, o.tokenUrl);
  str(w, n++, o.description);
  vendorExtensions(w, n, o);
  return wrap(member, w.finish());
}

function tag(v: unknown): Uint8Array | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const w = new ProtoWriter();
  str(w, 1, o.name);
  str(w, 2, o.description);
  message(w, 3, externalDocs(o.externalDocs));
  vendorExtensions(w, 4, o);
  return w.finish();
}

/** Encodes a Swagger 2.0 document (parsed JSON) as gnostic's `openapi.v2.Document`. */
export function encodeOpenApiV2Protobuf(doc: Record<string, unknown>): Uint8Array {
  const w = new ProtoWriter();
  str(w, 1, doc.swagger);
  message(w, 2, info(doc.info));
  str(w, 3, doc.host);
  str(w, 4, doc.basePath);
  strings(w, 5, doc.schemes);
  strings(w, 6, doc.consumes);
  strings(w, 7, doc.produces);
  const paths = asObject(doc.paths);
  if (paths) {
    const p = new ProtoWriter();
    vendorExtensions(p, 1, paths);
    namedMap(p, 2, paths, pathItem, true);
    w.bytes(8, p.finish());
  }
  for (const [n, field, encode] of [
    [9, doc.definitions, schema],
    [10, doc.parameters, parameter],
    [11, doc.responses, response],
  ] as const) {
    if (!asObject(field)) continue;
    const m = new ProtoWriter();
    namedMap(m, 1, field, encode);
    w.bytes(n, m.finish());
  }
  securityRequirements(w, 12, doc.security);
  if (asObject(doc.securityDefinitions)) {
    const s = new ProtoWriter();
    namedMap(s, 1, doc.securityDefinitions, securityDefinitionsItem);
    w.bytes(13, s.finish());
  }
  for (const t of asArray(doc.tags)) message(w, 14, tag(t));
  message(w, 15, externalDocs(doc.externalDocs));
  vendorExtensions(w, 16, doc);
  return w.finish();
}
