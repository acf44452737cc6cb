// PATCH with application/apply-patch+yaml: server-side apply. Validates the PatchOptions as
// kube-apiserver does, merges the applied configuration into the live object (or creates it)
// and lets the store write the result with the managedFields apply computed.
import type { ServerResponse } from 'node:http';
import { DecodeLimitError, echoInput, ApiError, fromStorageVersion, type ResourceInfo, kubeTime } from '../../api/index.js';
import { factsSchema, serverSideApply, structuralSchema, type ApplySchema } from '../apply/index.js';
import { loadYamlDocuments, negotiate } from '../media-types.js';
import { checkPatchResult } from '../patch/index.js';
import { metaOf, readMeta } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { ResourceRequest } from '../request-info.js';
import type { ObjectMap } from '../watch-cache.js';
import { readBody, type ApiRequest } from './http-io.js';
import { boolParam, fieldValidationParam } from './request-options.js';
import { sendOne } from './views.js';
import { admitBody, typeNameOf } from './admit-body.js';
import { requestContext } from './request-context.js';
import { errorMessage } from '../../lang/index.js';

/** kube-apiserver's 422 for PatchOptions that do not fit the patch type. */
export function patchOptionsInvalid(field: string, reason: 'FieldValueRequired' | 'FieldValueForbidden', detail: string): ApiError {
  const word = reason === 'FieldValueRequired' ? 'Required value' : 'Forbidden';
  return new ApiError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${word}: ${detail}`, {
    group: 'meta.k8s.io',
    kind: 'PatchOptions',
    causes: [{ reason, message: `${word}: ${detail}`, field }],
  });
}

/** The schema apply merges by: the type facts for built-ins, the CRD's schema for custom kinds; others merge untyped. */
const customSchemas = new WeakMap<object, ApplySchema>();

function applySchemaOf(r: ResourceInfo): ApplySchema {
  const custom = r.custom?.schema;
  if (custom) {
    let schema = customSchemas.get(custom);
    if (!schema) customSchemas.set(custom, (schema = structuralSchema(custom)));
    return schema;
  }
  const typeName = typeNameOf(r);
  return typeName ? factsSchema(typeName) : { root: () => ({ kind: 'deduced' }) };
}

export async function serveApply(req: ApiRequest, res: ServerResponse, r: ResourceInfo, store: ResourceStore, info: ResourceRequest): Promise<void> {
  const format = negotiate(req.raw.headers.accept, { allowViews: true, allowProtobuf: true });
  const manager = req.query.get('fieldManager') ?? '';
  if (!manager) throw patchOptionsInvalid('fieldManager', 'FieldValueRequired', 'is required for apply patch');
  const force = boolParam(req.query, 'force') ?? false;
  const ctx = { ...requestContext(req, r), managedFieldsRecorded: true };
  const validation = fieldValidationParam(req.query);
  const config = decodeApplyBody(await readBody(req.raw));
  const subresource = info.subresource === 'status' ? 'status' : undefined;
  const hasStatus = r.subresources.some((s) => s.name === 'status');
  const ownable = (field: string) => (subresource ? field === 'status' : !(hasStatus && field === 'status'));
  // kube's field manager first checks the applied object's group, version and kind against the endpoint's.
  const appliedType = goGroupVersionKind(config.apiVersion, config.kind);
  if (appliedType !== goGroupVersionKind(ctx.apiVersion, r.kind)) throw ApiError.badRequest(`invalid object type: ${echoInput(appliedType)}`);
  const configMeta = metaOf(config);
  // Ownership is the server's to record: an applied configuration may not bring its own.
  if (configMeta.managedFields != null) throw ApiError.badRequest('metadata.managedFields must be nil');
  if (configMeta.name !== undefined && configMeta.name !== info.name) {
    throw ApiError.nameMismatch(configMeta.name, info.name);
  }
  const result = await store.update(
    ctx,
    info.namespace,
    info.name,
    (current) => {
      const live = current ? fromStorageVersion(r, current) : undefined;
      const originalRv = live ? readMeta(live).resourceVersion : undefined;
      const applied = serverSideApply({
        live,
        config: { ...config, apiVersion: ctx.apiVersion, kind: r.kind },
        manager,
        force,
        apiVersion: ctx.apiVersion,
        ...(subresource ? { subresource } : {}),
        schema: applySchemaOf(r),
        ownable,
        now: kubeTime(),
      });
      checkPatchResult(applied);
      const meta = metaOf(applied);
      meta.name = info.name;
      // Without a resourceVersion in the configuration the apply is unconditional and retried on conflicts.
      if (originalRv !== undefined && meta.resourceVersion === originalRv && configMeta.resourceVersion === undefined) delete meta.resourceVersion;
      const warnings: string[] = [];
      const desired = admitBody(r, store, applied, validation, warnings);
      for (const w of warnings) if (!req.warnings.includes(w)) req.warnings.push(w);
      return desired;
    },
    { subresource, allowCreate: !subresource },
  );
  sendOne(res, result.created ? 201 : 200, r, result.object, format, req.query);
}

/** The applied configuration: YAML (JSON included) holding one object, within the decoding limits. */
function decodeApplyBody(raw: Buffer): ObjectMap {
  let docs: unknown[];
  try {
    docs = loadYamlDocuments(raw.toString('utf8'));
  } catch (err) {
    if (err instanceof DecodeLimitError) {
      if (err.limit === 'size') throw ApiError.tooLarge();
      // sigs.k8s.io/yaml's wording around go-yaml's, as kube-apiserver passes it on.
      throw ApiError.badRequest(`error decoding YAML: error converting YAML to JSON: ${err.message}`);
    }
    throw ApiError.badRequest(`error decoding YAML: ${echoInput(errorMessage(err), 1024)}`);
  }
  if (docs.length > 1) throw ApiError.badRequest('error decoding YAML: expected a single document in the stream, but found more');
  const value = docs[0];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ApiError.badRequest('error decoding YAML: the applied configuration is not an object');
  }
  return value as ObjectMap;
}

/**
 * How Go prints an unstructured object's schema.GroupVersionKind: `apps/v1, Kind=Deployment`,
 * `/v1, Kind=ConfigMap`; an apiVersion with more than one slash parses to nothing.
 */
function goGroupVersionKind(apiVersion: unknown, kind: unknown): string {
  const parts = typeof apiVersion === 'string' && apiVersion !== '' ? apiVersion.split('/') : [];
  const [group, version] = parts.length === 2 ? parts : parts.length === 1 ? ['', parts[0]] : ['', ''];
  const kindText = typeof kind === 'string' ? kind : '';
  return parts.length > 2 ? '/, Kind=' : `${group}/${version ?? ''}, Kind=${kindText}`;
}
