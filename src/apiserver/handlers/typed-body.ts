// Request bodies that are not the resource itself (Scale, Binding, Eviction, DeleteOptions, ...)
// decoded as their Go types before anything reads a field, as kube-apiserver decodes them: wrong
// types and numbers out of their Go range are refused with 400, unknown fields reported.
import { typedDecode, type DecodeOptions } from '../../api/index.js';
import type { ObjectMap } from '../watch-cache.js';
import type { ApiRequest } from './http-io.js';
import { fieldValidationParam, reportUnknownFields, type FieldValidation } from './request-options.js';

export interface TypedBodyOptions extends DecodeOptions {
  /** How unknown fields are treated; by default the request's fieldValidation. */
  readonly fieldValidation?: FieldValidation;
}

export function decodeTypedBody(req: ApiRequest, body: ObjectMap, typeName: string, options: TypedBodyOptions = {}): ObjectMap {
  const { unknownFields } = typedDecode(body, typeName, options);
  reportUnknownFields(unknownFields, options.fieldValidation ?? fieldValidationParam(req.query), req.warnings);
  return body;
}
