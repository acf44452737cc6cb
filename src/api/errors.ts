// The one error catalogue of the API: an ApiError carries a Kubernetes reason, HTTP code and
// causes, and toStatus() is the one place that turns it into a meta/v1 Status object.
import { echoInput } from './decode-limits.js';
import { fieldErrorBody, fieldErrorMessage, type FieldError } from './field-errors.js';
import { errorMessage } from '../lang/index.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServerTimeout'
  | 'InternalError'
  | 'ServiceUnavailable'
  | '';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** Which resource an error is about: `group` is '' for the core group. */
export interface ResourceRef {
  group: string;
  resource: string;
  name: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }

  static badRequest(message: string, causes?: StatusCause[]): ApiError {
    return new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined);
  }
  /** A body naming another object than the URL does; the body's name is quoted in part only. */
  static nameMismatch(objectName: unknown, urlName: string): ApiError {
    return ApiError.badRequest(`the name of the object (${echoInput(String(objectName))}) does not match the name on the URL (${urlName})`);
  }

  static unauthorized(message = 'Unauthorized'): ApiError {
    return new ApiError(401, 'Unauthorized', message);
  }
  static forbidden(ref: ResourceRef, message: string): ApiError {
    const q = qualified(ref);
    return new ApiError(403, 'Forbidden', `${q} "${ref.name}" is forbidden: ${message}`, detailsOf(ref));
  }
  static notFound(ref: ResourceRef): ApiError {
    const q = qualified(ref);
    return new ApiError(404, 'NotFound', `${q} "${ref.name}" not found`, detailsOf(ref));
  }
  /** A plain 404 for a path that names no resource, as kube-apiserver answers unknown URLs. */
  static pathNotFound(): ApiError {
    return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  static alreadyExists(ref: ResourceRef): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualified(ref)} "${ref.name}" already exists`, detailsOf(ref));
  }
  static conflict(ref: ResourceRef, message: string): ApiError {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name}": ${message}`, detailsOf(ref));
  }
  /** Invalid: `kind` is the Kind (Deployment.apps), as kube-apiserver reports it. */
  static invalid(kind: { group: string; kind: string }, name: string, errors: readonly FieldError[]): ApiError {
    const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
    const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
    let message = `${qualifiedKind} "${name}" is invalid`;
    if (errors.length === 1) message += `: ${fieldErrorMessage(errors[0]!)}`;
    else if (errors.length > 1) message += `: [${errors.map(fieldErrorMessage).join(', ')}]`;
    return new ApiError(422, 'Invalid', message, { name, group: kind.group, kind: kind.kind, causes });
  }
  static methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message, {});
  }
  static notAcceptable(message: string): ApiError {
    return new ApiError(406, 'NotAcceptable', message);
  }
  static unsupportedMediaType(): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  }
  static tooLarge(message = 'Request entity too large: limit is 3145728'): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', message);
  }
  /** 410 Expired for a watch or list from a compacted resourceVersion. */
  static expired(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  }
  static gone(message: string): ApiError {
    return new ApiError(410, 'Gone', message);
  }
  static timeout(message: string, retryAfterSeconds = 1): ApiError {
    return new ApiError(504, 'Timeout', message, { retryAfterSeconds });
  }
  static serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  }
  static internal(message: string, cause?: unknown): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }, { cause });
  }

  /** Converts anything thrown into an ApiError, keeping the original as `cause`. */
  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    const message = errorMessage(err);
    return ApiError.internal(message, err);
  }
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function detailsOf(ref: ResourceRef): StatusDetails {
  return { name: ref.name, ...(ref.group ? { group: ref.group } : {}), kind: ref.resource };
}
