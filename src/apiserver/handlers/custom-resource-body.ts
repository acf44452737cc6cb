// What a custom resource's body goes through before its strategy sees it, as the apiextensions
// server decodes it: fields its schema does not name are pruned (refused or warned about per
// fieldValidation, as unknown fields of built-ins are), then the schema's defaults are applied.
// Defaults can grow a body (a default for each of a million list items); the result is held to
// the limits of a body, as etcd's request limit holds kube-apiserver's.
import { checkDecodedValue, DecodeLimitError, applyDefaults, pruneUnknownFields, type CustomResourceInfo, ApiError } from '../../api/index.js';
import type { ObjectMap } from '../watch-cache.js';
import { reportUnknownFields, type FieldValidation } from './request-options.js';

export function admitCustomResource(custom: CustomResourceInfo, body: ObjectMap, validation: FieldValidation, warnings: string[]): void {
  if (!custom.schema) return;
  const metadata = body.metadata;
  const pruned = pruneUnknownFields(custom.schema, body);
  reportUnknownFields(pruned, validation, warnings);
  applyDefaults(custom.schema, body);
  if (metadata !== undefined) body.metadata = metadata;
  try {
    checkDecodedValue(body);
  } catch (err) {
    if (!(err instanceof DecodeLimitError)) throw err;
    if (err.limit === 'size') throw ApiError.tooLarge();
    throw ApiError.badRequest(`the object with its defaults: ${err.message}`);
  }
}
