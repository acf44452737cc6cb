// OpenAPI documents: /openapi/v3 (index plus one document per group-version) and /openapi/v2,
// with every path and operation of the served resources, `x-kubernetes-group-version-kind`,
// `x-kubernetes-action`, the fieldValidation/fieldManager/dryRun parameters kubectl looks for,
// and component schemas derived from the API type facts.
import { createHash } from 'node:crypto';
import { typeNameForKind, allSchemasV2, schemasForGroupVersion, resourcesOf, servedGroups, type ResourceInfo, dynamicResources } from '../api/index.js';
import { encodeOpenApiV2Protobuf } from './openapi-v2-protobuf.js';
import { customResourceSchemas, customTypeName } from './custom-resource-openapi.js';

type Json = Record<string, unknown>;

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

interface Param {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'integer' | 'boolean';
  required?: boolean;
}

const p = (name: string, type: Param['type'] = 'string', where: Param['in'] = 'query'): Param => ({
  name,
  in: where,
  type,
  ...(where === 'path' ? { required: true } : {}),
});
const writeParams = [p('dryRun'), p('fieldManager'), p('fieldValidation')];
const listParams = [
  p('allowWatchBookmarks', 'boolean'),
  p('continue'),
  p('fieldSelector'),
  p('labelSelector'),
  p('limit', 'integer'),
  p('resourceVersion'),
  p('resourceVersionMatch'),
  p('sendInitialEvents', 'boolean'),
  p('timeoutSeconds', 'integer'),
  p('watch', 'boolean'),
];
const deleteParams = [
  p('dryRun'),
  p('gracePeriodSeconds', 'integer'),
  p('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean'),
  p('orphanDependents', 'boolean'),
  p('propagationPolicy'),
];

interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  action: string;
  id: string;
  params: Param[];
  body?: 'object' | 'patch' | 'delete';
  response: string;
  kind: { group: string; version: string; kind: string };
}

function typeRef(group: string, version: string, kind: string): string {
  return typeNameForKind(group, version, kind) ?? customTypeName(group, version, kind) ?? `${metaV1}.Status`;
}

function opId(verb: string, r: ResourceInfo, suffix: string, namespaced: boolean): string {
  const gv = (r.group ? r.group.split('.')[0]! : 'core') + r.version[0]!.toUpperCase() + r.version.slice(1);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `${verb}${cap(gv.replace(/\W/g, ''))}${namespaced ? 'Namespaced' : ''}${r.kind}${suffix}`;
}

/** Every path and its operations for one group-version. */
function pathsFor(group: string, version: string): Map<string, Operation[]> {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths = new Map<string, Operation[]>();
  const add = (path: string, op: Operation) => {
    const ops = paths.get(path) ?? [];
    ops.push(op);
    paths.set(path, ops);
  };
  for (const r of resourcesOf(group, version)) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const obj = typeRef(r.group, r.version, r.kind);
    const list = typeRef(r.group, r.version, r.listKind);
    const ns = r.namespaced;
    const coll = ns ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
    const item = `${coll}/{name}`;
    const nsParam = ns ? [p('namespace', 'string', 'path')] : [];
    const nameParam = [p('name', 'string', 'path')];
    const has = (v: string) => r.verbs.includes(v);
    if (has('list')) {
      add(coll, { method: 'get', action: 'list', id: opId('list', r, '', ns), params: [...nsParam, ...listParams], response: list, kind: gvk });
      if (ns)
        add(`${base}/${r.resource}`, {
          method: 'get',
          action: 'list',
          id: opId('list', r, 'ForAllNamespaces', false),
          params: listParams,
          response: list,
          kind: gvk,
        });
    }
    if (has('create'))
      add(coll, {
        method: 'post',
        action: 'post',
        id: opId('create', r, '', ns),
        params: [...nsParam, ...writeParams],
        body: 'object',
        response: obj,
        kind: gvk,
      });
    if (has('deletecollection'))
      add(coll, {
        method: 'delete',
        action: 'deletecollection',
        id: opId('deleteCollection', r, '', ns),
        params: [...nsParam, ...deleteParams, ...listParams],
        body: 'delete',
        response: `${metaV1}.Status`,
        kind: gvk,
      });
    if (has('get')) add(item, { method: 'get', action: 'get', id: opId('read', r, '', ns), params: [...nsParam, ...nameParam], response: obj, kind: gvk });
    if (has('update'))
      add(item, {
        method: 'put',
        action: 'put',
        id: opId('replace', r, '', ns),
        params: [...nsParam, ...nameParam, ...writeParams],
        body: 'object',
        response: obj,
        kind: gvk,
      });
    if (has('patch'))
      add(item, {
        method: 'patch',
        action: 'patch',
        id: opId('patch', r, '', ns),
        params: [...nsParam, ...nameParam, ...writeParams, p('force', 'boolean')],
        body: 'patch',
        response: obj,
        kind: gvk,
      });
    if (has('delete'))
      add(item, {
        method: 'delete',
        action: 'delete',
        id: opId('delete', r, '', ns),
        params: [...nsParam, ...nameParam, ...deleteParams],
        body: 'delete',
        response: `${metaV1}.Status`,
        kind: gvk,
      });
    if (has('watch')) {
      const wcoll = ns ? `${base}/watch/namespaces/{namespace}/${r.resource}` : `${base}/watch/${r.resource}`;
      add(wcoll, {
        method: 'get',
        action: 'watchlist',
        id: opId('watch', r, 'List', ns),
        params: [...nsParam, ...listParams],
        response: `${metaV1}.WatchEvent`,
        kind: gvk,
      });
      add(`${wcoll}/{name}`, {
        method: 'get',
        action: 'watch',
        id: opId('watch', r, '', ns),
        params: [...nsParam, ...nameParam, ...listParams],
        response: `${metaV1}.WatchEvent`,
        kind: gvk,
      });
    }
    for (const s of r.subresources) {
      const sk = s.kind ?? gvk;
      const subType = s.kind ? typeRef(s.kind.group, s.kind.version, s.kind.kind) : obj;
      const path = `${item}/${s.name}`;
      const suffix = s.name.charAt(0).toUpperCase() + s.name.slice(1);
      const params = [...nsParam, ...nameParam];
      if (s.name === 'status' || s.name === 'scale' || s.name === 'approval' || s.name === 'ephemeralcontainers') {
        add(path, { method: 'get', action: 'get', id: opId('read', r, suffix, ns), params, response: subType, kind: sk });
        add(path, {
          method: 'put',
          action: 'put',
          id: opId('replace', r, suffix, ns),
          params: [...params, ...writeParams],
          body: 'object',
          response: subType,
          kind: sk,
        });
        add(path, {
          method: 'patch',
          action: 'patch',
          id: opId('patch', r, suffix, ns),
          params: [...params, ...writeParams, p('force', 'boolean')],
          body: 'patch',
          response: subType,
          kind: sk,
        });
      } else if (s.verbs.includes('create') && (s.name === 'binding' || s.name === 'eviction' || s.name === 'token')) {
        add(path, {
          method: 'post',
          action: 'post',
          id: opId('create', r, suffix, ns),
          params: [...params, ...writeParams],
          body: 'object',
          response: subType,
          kind: sk,
        });
      } else if (s.name === 'finalize') {
        add(path, {
          method: 'put',
          action: 'put',
          id: opId('replace', r, suffix, ns),
          params: [...params, ...writeParams],
          body: 'object',
          response: obj,
          kind: gvk,
        });
      } else if (s.name === 'log') {
        add(path, {
          method: 'get',
          action: 'get',
          id: opId('read', r, 'Log', ns),
          params: [
            ...params,
            p('container'),
            p('follow', 'boolean'),
            p('limitBytes', 'integer'),
            p('previous', 'boolean'),
            p('sinceSeconds', 'integer'),
            p('tailLines', 'integer'),
            p('timestamps', 'boolean'),
          ],
          response: 'string',
          kind: gvk,
        });
      }
    }
  }
  return paths;
}

function ref3(name: string): Json {
  return name === 'string' ? { type: 'string' } : { $ref: `#/components/schemas/${name}` };
}

function operationV3(op: Operation): Json {
  const out: Json = {
    operationId: op.id,
    parameters: op.params.map((x) => ({ name: x.name, in: x.in, ...(x.required ? { required: true } : {}), schema: { type: x.type, uniqueItems: true } })),
    responses: {
      '200': {
        description: 'OK',
        content: Object.fromEntries(
          ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'].map((t) => [t, { schema: ref3(op.response) }]),
        ),
      },
      ...(op.method === 'post' || op.method === 'put'
        ? { '201': { description: 'Created', content: { 'application/json': { schema: ref3(op.response) } } } }
        : {}),
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.kind,
  };
  if (op.body === 'object') out.requestBody = { content: { '*/*': { schema: ref3(op.response) } }, required: true };
  if (op.body === 'patch') out.requestBody = { content: Object.fromEntries(patchTypes.map((t) => [t, { schema: ref3(`${metaV1}.Patch`) }])), required: true };
  if (op.body === 'delete') out.requestBody = { content: { '*/*': { schema: ref3(`${metaV1}.DeleteOptions`) } } };
  return out;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const v3Cache = new Map<string, { body: string; hash: string }>();
let cachedGeneration = 0;

/** Custom resources come and go: documents built before a change are dropped. */
function forgetWhenResourcesChange(): void {
  if (cachedGeneration === dynamicResources.generation) return;
  cachedGeneration = dynamicResources.generation;
  v3Cache.clear();
  v2Cache = undefined;
  v2Protobuf = undefined;
}

/** The v3 document of one group-version, serialised once. */
export function openApiV3Document(group: string, version: string, gitVersion: string): { body: string; hash: string } | undefined {
  const key = `${group}/${version}`;
  forgetWhenResourcesChange();
  const hit = v3Cache.get(key);
  if (hit) return hit;
  const paths = pathsFor(group, version);
  if (!paths.size) return undefined;
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: Object.fromEntries([...paths].map(([path, ops]) => [path, Object.fromEntries(ops.map((op) => [op.method, operationV3(op)]))])),
    components: { schemas: { ...schemasForGroupVersion(group, version), ...customResourceSchemas('v3', group, version) } },
  };
  const body = JSON.stringify(doc);
  const entry = { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase().slice(0, 128) };
  v3Cache.set(key, entry);
  return entry;
}

export function openApiV3Index(gitVersion: string): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of servedGroups()) {
    for (const v of g.versions) {
      const doc = openApiV3Document(g.group, v, gitVersion);
      if (doc) paths[gvPath(g.group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g.group, v)}?hash=${doc.hash}` };
    }
  }
  return { paths };
}

/** Resolves `/openapi/v3/<rest>` to a group-version. */
export function openApiV3Lookup(rest: string): { group: string; version: string } | undefined {
  const parts = rest.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) return { group: '', version: parts[1]! };
  if (parts[0] === 'apis' && parts.length === 3) return { group: parts[1]!, version: parts[2]! };
  return undefined;
}

let v2Cache: string | undefined;

function ref2(name: string): Json {
  return name === 'string' ? { type: 'string' } : { $ref: `#/definitions/${name}` };
}

export function openApiV2Document(gitVersion: string): string {
  forgetWhenResourcesChange();
  if (v2Cache) return v2Cache;
  const paths: Record<string, Json> = {};
  for (const g of servedGroups()) {
    for (const v of g.versions) {
      for (const [path, ops] of pathsFor(g.group, v)) {
        paths[path] = Object.fromEntries(
          ops.map((op) => {
            const params: Json[] = op.params.map((x) => ({
              name: x.name,
              in: x.in,
              type: x.type,
              uniqueItems: true,
              ...(x.required ? { required: true } : {}),
            }));
            if (op.body === 'object') params.push({ name: 'body', in: 'body', required: true, schema: ref2(op.response) });
            if (op.body === 'patch') params.push({ name: 'body', in: 'body', required: true, schema: ref2(`${metaV1}.Patch`) });
            if (op.body === 'delete') params.push({ name: 'body', in: 'body', schema: ref2(`${metaV1}.DeleteOptions`) });
            const operation: Json = {
              operationId: op.id,
              consumes: op.body === 'patch' ? patchTypes : ['*/*'],
              produces: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
              schemes: ['https'],
              parameters: params,
              responses: { '200': { description: 'OK', schema: ref2(op.response) }, '401': { description: 'Unauthorized' } },
              'x-kubernetes-action': op.action,
              'x-kubernetes-group-version-kind': op.kind,
            };
            return [op.method, operation];
          }),
        );
      }
    }
  }
  const doc = {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths,
    definitions: { ...allSchemasV2(), ...customResourceSchemas('v2') },
    securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
  v2Cache = JSON.stringify(doc);
  return v2Cache;
}

let v2Protobuf: Uint8Array | undefined;

/** The v2 document in gnostic's protobuf form, encoded once. */
export function openApiV2Protobuf(gitVersion: string): Uint8Array {
  forgetWhenResourcesChange();
  return (v2Protobuf ??= encodeOpenApiV2Protobuf(JSON.parse(openApiV2Document(gitVersion)) as Record<string, unknown>));
}
