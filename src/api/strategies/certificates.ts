// The CertificateSigningRequest strategy (certificates.k8s.io/v1): PEM request, signer and
// usages on create; the spec never changes afterwards, and approval and the issued
// certificate arrive through the /approval and /status subresources.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, copyFrom, objAt, ensureObj, arrAt, strAt, numAt, clone } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { isQualifiedName } from './name-validation.js';

const spec = FieldPath.root('spec');
const usages = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const MIN_EXPIRATION_SECONDS = 600;

function validateCsr(csr: Readonly<Obj>): FieldError[] {
  const s = objAt(csr, 'spec') ?? {};
  const errs: FieldError[] = [];
  const request = strAt(s, 'request');
  const pem = Buffer.from(request, 'base64').toString('utf8');
  if (!request) errs.push(spec.child('request').required());
  else if (!pem.includes('-----BEGIN CERTIFICATE REQUEST-----'))
    errs.push(spec.child('request').invalid(request, 'PEM block type must be CERTIFICATE REQUEST'));
  const signer = strAt(s, 'signerName');
  if (!signer) errs.push(spec.child('signerName').required());
  else if (!signer.includes('/'))
    errs.push(spec.child('signerName').invalid(signer, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  else for (const m of isQualifiedName(signer.split('/').slice(0, 2).join('/'))) errs.push(spec.child('signerName').invalid(signer, m));
  const requested = arrAt(s, 'usages');
  if (requested.length === 0) errs.push(spec.child('usages').required());
  requested.forEach((u, i) => {
    if (typeof u !== 'string' || !usages.includes(u)) errs.push(spec.child('usages').index(i).notSupported(u, usages));
  });
  const expiration = numAt(s, 'expirationSeconds');
  if (expiration !== undefined && expiration < MIN_EXPIRATION_SECONDS)
    errs.push(spec.child('expirationSeconds').invalid(expiration, 'may not specify a duration less than 600 seconds (10 minutes)'));
  return errs;
}

export const certificateSigningRequestStrategy = defineStrategy({
  statusSubresource: true,
  prepareForUpdate(csr, old) {
    copyFrom(csr, old, 'spec');
  },
  prepareForStatusUpdate(csr, old) {
    // /status sets the certificate and conditions other than approval.
    const conditions = arrAt(objAt(old, 'status'), 'conditions');
    const status = ensureObj(csr, 'status');
    const approvals = conditions.filter((c) => {
      const type = strAt(c as Obj, 'type');
      return type === 'Approved' || type === 'Denied';
    });
    const others = arrAt(status, 'conditions').filter((c) => {
      const type = strAt(c as Obj, 'type');
      return type !== 'Approved' && type !== 'Denied';
    });
    status['conditions'] = [...approvals, ...others];
  },
  validate: validateCsr,
  validateUpdate: () => [],
});

/** Before a write to /approval: only the Approved/Denied conditions come from the request. */
export function prepareCsrApproval(csr: Obj, old: Readonly<Obj>): void {
  const conditions = arrAt(objAt(csr, 'status'), 'conditions');
  copyFrom(csr, old, 'spec');
  const status = clone(objAt(old, 'status') ?? {});
  status['conditions'] = conditions;
  csr['status'] = status;
}
