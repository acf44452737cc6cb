// DeleteOptions from a DELETE's body and query, checked as kube-apiserver checks them.
import { ApiError } from '../../api/index.js';
import { decodeBody } from '../media-types.js';
import type { DeleteOptions } from '../registry/resource-store.js';
import { readBody, type ApiRequest } from './http-io.js';
import { boolParam, intParam } from './request-options.js';
import { decodeTypedBody } from './typed-body.js';

const deleteOptionsType = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

export async function deleteOptions(req: ApiRequest): Promise<DeleteOptions> {
  const opts: DeleteOptions = {};
  const raw = await readBody(req.raw);
  if (raw.length) {
    // kube-apiserver decodes DeleteOptions without strict field validation.
    const body = decodeTypedBody(req, decodeBody(req.raw.headers['content-type'], raw), deleteOptionsType, {
      errorPrefix: '',
      fieldValidation: 'Ignore',
    });
    if (typeof body.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = body.gracePeriodSeconds;
    if (body.preconditions && typeof body.preconditions === 'object') opts.preconditions = body.preconditions;
    if (typeof body.propagationPolicy === 'string') opts.propagationPolicy = checkPolicy(body.propagationPolicy);
    if (typeof body.orphanDependents === 'boolean') opts.orphanDependents = body.orphanDependents;
    if (Array.isArray(body.dryRun))
      for (const d of body.dryRun)
        if (d !== 'All') throw ApiError.badRequest(`Invalid dry run value: dryRun: Unsupported value: "${String(d)}": supported values: "All"`);
  }
  const grace = intParam(req.query, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = req.query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = checkPolicy(policy);
  const orphan = boolParam(req.query, 'orphanDependents');
  if (orphan !== undefined) opts.orphanDependents = orphan;
  if (opts.propagationPolicy && opts.orphanDependents !== undefined) {
    throw new ApiError(
      422,
      'Invalid',
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' +
        opts.propagationPolicy +
        '": orphanDependents and deletionPropagation cannot be both set',
      {
        group: 'meta.k8s.io',
        kind: 'DeleteOptions',
        causes: [{ reason: 'FieldValueInvalid', message: 'orphanDependents and deletionPropagation cannot be both set', field: 'propagationPolicy' }],
      },
    );
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  return opts;
}

function checkPolicy(p: string): 'Orphan' | 'Background' | 'Foreground' {
  if (p === 'Orphan' || p === 'Background' || p === 'Foreground') return p;
  throw new ApiError(
    422,
    'Invalid',
    `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    {
      group: 'meta.k8s.io',
      kind: 'DeleteOptions',
      causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${p}"`, field: 'propagationPolicy' }],
    },
  );
}
