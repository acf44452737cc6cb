// Content negotiation: parsing Accept and Content-Type, choosing the response encoding
// (JSON, YAML, protobuf; Table and PartialObjectMetadata views), and decoding request bodies.
import yaml from 'js-yaml';
import {
  boundedTree,
  checkDecodedValue,
  checkJsonNesting,
  DecodeLimitError,
  echoInput,
  maxDecodedBytes,
  maxNestingDepth,
  yamlAliasListener,
  ApiError,
  decodeKubernetesProtobuf,
  rememberJsonSource,
} from '../api/index.js';
import { errorMessage } from '../lang/index.js';

export interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseMediaType(text: string): MediaRange {
  const [head = '', ...rest] = text.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"|"$/g, '');
  }
  return { type: head.trim().toLowerCase(), params };
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseMediaType);
}

export type Encoding = 'json' | 'yaml' | 'protobuf';
export type View = 'object' | 'table' | 'metadata';

export interface ResponseFormat {
  readonly encoding: Encoding;
  readonly view: View;
  /** The media type string written in Content-Type. */
  readonly contentType: string;
}

const jsonTypes = new Set(['application/json', 'application/*', '*/*', 'application/json-patch+json', 'application/merge-patch+json']);
export const protobufType = 'application/vnd.kubernetes.protobuf';

/**
 * Picks the response format from Accept. `as=Table` / `as=PartialObjectMetadata(List)` select a
 * view; views only come as JSON or YAML here. Unsupported: 406 NotAcceptable.
 */
export function negotiate(accept: string | undefined, options: { allowViews: boolean; allowProtobuf: boolean; stream?: boolean }): ResponseFormat {
  for (const r of parseAccept(accept)) {
    const as = r.params.as;
    if (as) {
      if (!options.allowViews || r.params.g !== 'meta.k8s.io' || (r.params.v !== 'v1' && r.params.v !== 'v1beta1')) continue;
      const encoding = r.type === 'application/yaml' ? 'yaml' : r.type === 'application/json' || r.type === '*/*' ? 'json' : undefined;
      if (!encoding) continue;
      if (as === 'Table') return { encoding, view: 'table', contentType: `application/${encoding};as=Table;v=${r.params.v};g=meta.k8s.io` };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
        return { encoding, view: 'metadata', contentType: `application/${encoding};as=${as};v=${r.params.v};g=meta.k8s.io` };
      }
      continue;
    }
    if (jsonTypes.has(r.type)) return { encoding: 'json', view: 'object', contentType: 'application/json' };
    if (r.type === 'application/yaml') return { encoding: 'yaml', view: 'object', contentType: 'application/yaml' };
    if (r.type === protobufType && options.allowProtobuf) return { encoding: 'protobuf', view: 'object', contentType: protobufType };
  }
  throw ApiError.notAcceptable(
    `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf${options.allowViews ? ', application/json;as=Table;v=v1;g=meta.k8s.io' : ''}`,
  );
}

/**
 * Decodes a create/update body by its Content-Type into a JSON object, held to the limits of
 * ../api/decode-limits: too deep or too much aliasing is a 400, larger than a body may be a 413.
 */
export function decodeBody(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const type = parseMediaType(contentType ?? 'application/json').type;
  if (body.length === 0) throw ApiError.badRequest('the body of the request was empty');
  let value: unknown;
  if (type === 'application/json' || type === '') {
    const text = body.toString('utf8');
    value = parseJson(text);
    // Numbers in exponent form grow when written out (1e20 is 21 digits), so a large JSON body
    // can stand for an object larger than the body limit.
    if (body.length > maxDecodedBytes / 8) holdToBodyLimit(value);
    // Typed decoding reads the text for integers written as 1.0 or 1e3, which Go refuses.
    if (value !== null && typeof value === 'object') rememberJsonSource(value, text);
  } else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    value = parseYaml(body.toString('utf8'));
  } else if (type === protobufType) {
    value = decodeProtobuf(body);
  } else {
    throw ApiError.unsupportedMediaType();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : echoInput(JSON.stringify(value) ?? String(value));
    throw ApiError.badRequest(`the body of the request must be a JSON or YAML object, got ${got}`);
  }
  return value as Record<string, unknown>;
}

function parseJson(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    checkJsonNesting(text);
    return JSON.parse(text);
  } catch (err) {
    const detail = errorMessage(err);
    throw ApiError.badRequest(`error decoding JSON body: ${echoInput(detail)}`);
  }
}

function parseYaml(text: string): unknown {
  try {
    const docs = loadYamlDocuments(text);
    if (docs.length > 1) throw ApiError.badRequest('the YAML body contains more than one document; send one object per request');
    return docs[0];
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof DecodeLimitError && err.limit === 'size') throw ApiError.tooLarge();
    const detail = errorMessage(err).split('\n')[0]!;
    throw ApiError.badRequest(`error converting YAML to JSON: ${echoInput(detail)}`);
  }
}

/**
 * js-yaml's loadAll with go-yaml's bounds: aliases limited while parsing, each document then
 * checked for depth, aliasing and size and returned as a tree of its own. Throws js-yaml's
 * errors and DecodeLimitError.
 */
export function loadYamlDocuments(text: string): unknown[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, undefined, { listener: yamlAliasListener() });
  } catch (err) {
    // js-yaml descends recursively; flow collections nested deep enough run out of stack.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new DecodeLimitError(`yaml: exceeded max depth of ${maxNestingDepth}`, 'depth');
    }
    throw err;
  }
  return docs.map((doc) => boundedTree(doc, { yaml: true }));
}

function holdToBodyLimit(value: unknown): void {
  try {
    checkDecodedValue(value);
  } catch (err) {
    if (err instanceof DecodeLimitError && err.limit === 'size') throw ApiError.tooLarge();
    throw err;
  }
}

function decodeProtobuf(body: Buffer): unknown {
  const { object } = decodeKubernetesProtobuf(body);
  try {
    return boundedTree(object);
  } catch (err) {
    if (err instanceof DecodeLimitError) {
      if (err.limit === 'size') throw ApiError.tooLarge();
      throw ApiError.badRequest(`unable to decode protobuf body: ${err.message}`);
    }
    throw err;
  }
}

export function encodeYaml(value: unknown): string {
  return yaml.dump(value, { lineWidth: -1, noRefs: true, sortKeys: false });
}
