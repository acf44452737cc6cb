// Strategies for configuration objects: ConfigMaps and Secrets (key format, total size,
// `immutable`, per-type required keys) and ServiceAccounts.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, objItems, strAt, stringMapAt } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { validateImmutable } from './object-meta.js';
import { isConfigMapKey, isDNS1123Subdomain } from './name-validation.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

const MAX_DATA_SIZE = 1024 * 1024;
const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}

function validateKeys(map: Readonly<Record<string, unknown>>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(map)) for (const m of isConfigMapKey(key)) errs.push(path.key(key).invalid(key, m));
  return errs;
}

function validateConfigMap(cm: Readonly<Obj>): FieldError[] {
  const data = objAt(cm, 'data') ?? {};
  const binary = objAt(cm, 'binaryData') ?? {};
  const errs = validateKeys(data, FieldPath.root('data'));
  errs.push(...validateKeys(binary, FieldPath.root('binaryData')));
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    if (key in binary) errs.push(FieldPath.root('data').key(key).invalid(key, 'duplicate of key present in binaryData'));
    if (typeof value === 'string') total += Buffer.byteLength(value);
  }
  for (const value of Object.values(binary)) if (typeof value === 'string') total += decodedLength(value);
  if (total > MAX_DATA_SIZE) errs.push(FieldPath.root('').tooLong('', MAX_DATA_SIZE));
  return errs;
}

function validateImmutableContents(obj: Readonly<Obj>, old: Readonly<Obj>, keys: readonly string[]): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (obj['immutable'] !== true) errs.push(FieldPath.root('immutable').forbidden(IMMUTABLE_SET));
  for (const k of keys) if (!jsonEqual(obj[k] ?? {}, old[k] ?? {})) errs.push(FieldPath.root(k).forbidden(IMMUTABLE_SET));
  return errs;
}

export const configMapStrategy = defineStrategy({
  validate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateConfigMap(cm), ...validateImmutableContents(cm, old, ['data', 'binaryData'])],
});

// Secrets

/** Go's encoding/json error for the first problem in a document, near enough for users. */
function jsonProblem(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? undefined : 'json: cannot unmarshal into Go value of type map[string]interface {}';
  } catch {
    const first = text.trim()[0];
    return first === undefined ? 'unexpected end of JSON input' : `invalid character '${first}' looking for beginning of value`;
  }
}

function validateSecret(secret: Readonly<Obj>): FieldError[] {
  const data = stringMapAt(secret, 'data');
  const dataPath = FieldPath.root('data');
  const errs = validateKeys(data, dataPath);
  const total = Object.values(data).reduce((n, v) => n + decodedLength(v), 0);
  if (total > MAX_DATA_SIZE) errs.push(dataPath.tooLong('', MAX_DATA_SIZE));
  const type = strAt(secret, 'type');
  const has = (k: string) => Object.hasOwn(data, k);
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!stringMapAt(objAt(secret, 'metadata'), 'annotations')['kubernetes.io/service-account.name'])
        errs.push(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name').required());
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      const value = data[key];
      if (value === undefined) {
        errs.push(dataPath.key(key).required());
        break;
      }
      const problem = jsonProblem(Buffer.from(value, 'base64').toString('utf8'));
      if (problem) errs.push(dataPath.key(key).invalid('<secret contents redacted>', problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errs.push(dataPath.key('username').required());
        errs.push(dataPath.key('password').required());
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(dataPath.key('ssh-privatekey').required());
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(dataPath.key('tls.crt').required());
      if (!has('tls.key')) errs.push(dataPath.key('tls.key').required());
      break;
    default:
      break;
  }
  return errs;
}

export const secretStrategy = defineStrategy({
  defaults(secret) {
    // The v1 stringData convenience field is write-only: it folds into data on decode.
    const stringData = objAt(secret, 'stringData');
    if (stringData) {
      const data = ensureObj(secret, 'data');
      for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete secret['stringData'];
    }
    if (!strAt(secret, 'type')) secret['type'] = 'Opaque';
  },
  validate: validateSecret,
  validateUpdate: (secret, old) => [
    ...validateSecret(secret),
    ...validateImmutable(strAt(secret, 'type'), strAt(old, 'type'), FieldPath.root('type')),
    ...validateImmutableContents(secret, old, ['data']),
  ],
});

// ServiceAccounts

function validateServiceAccount(sa: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['secrets', 'imagePullSecrets']) {
    for (const [ref, i] of objItems(sa, key)) {
      const name = strAt(ref, 'name');
      if (name) errs.push(...isDNS1123Subdomain(name).map((m) => FieldPath.root(key).index(i).child('name').invalid(name, m)));
    }
  }
  return errs;
}

export const serviceAccountStrategy = defineStrategy({
  validate: validateServiceAccount,
  warnings(sa) {
    const annotations = stringMapAt(objAt(sa, 'metadata'), 'annotations');
    return annotations['kubernetes.io/enforce-mountable-secrets'] !== undefined
      ? ['metadata.annotations[kubernetes.io/enforce-mountable-secrets]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets']
      : [];
  },
});
