// Shapes of responses for one object or a list: the client's version, Table rows, or
// PartialObjectMetadata, in the negotiated encoding.
import type { ServerResponse } from 'node:http';
import { fromStorageVersion, sharesStorageShape } from '../../api/conversion/index.js';
import { apiVersionOf, type ResourceInfo } from '../../api/resources.js';
import { buildTable } from '../tables/index.js';
import type { ResponseFormat } from '../media-types.js';
import type { CachedObject, ObjectMap } from '../watch-cache.js';
import { sendObject } from './http-io.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function resourceVersionOf(obj: Readonly<ObjectMap>): string {
  const rv = (obj.metadata as ObjectMap | undefined)?.resourceVersion;
  return typeof rv === 'string' ? rv : '';
}

function partialMetadata(obj: Readonly<ObjectMap>): ObjectMap {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function sendOne(res: ServerResponse, code: number, r: ResourceInfo, stored: Readonly<ObjectMap>, format: ResponseFormat, query: URLSearchParams): void {
  const obj = fromStorageVersion(r, stored);
  if (format.view === 'table') {
    const table = buildTable(r.group, r.resource, [obj], {
      includeObject: includeObjectParam(query),
      now: new Date(),
      listMeta: { resourceVersion: resourceVersionOf(obj) },
    });
    sendObject(res, code, table, format);
  } else if (format.view === 'metadata') {
    sendObject(res, code, partialMetadata(obj), format);
  } else {
    sendObject(res, code, obj, format);
  }
}

export function sendList(
  res: ServerResponse,
  r: ResourceInfo,
  items: readonly CachedObject[],
  listMeta: ListMeta,
  format: ResponseFormat,
  query: URLSearchParams,
): void {
  if (format.view === 'table') {
    const objs = items.map((i) => fromStorageVersion(r, i.object));
    sendObject(res, 200, buildTable(r.group, r.resource, objs, { includeObject: includeObjectParam(query), now: new Date(), listMeta }), format);
    return;
  }
  if (format.view === 'metadata') {
    sendObject(
      res,
      200,
      { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, items: items.map((i) => partialMetadata(i.object)) },
      format,
    );
    return;
  }
  const apiVersion = apiVersionOf(r);
  if (format.encoding === 'json' && sharesStorageShape(r)) {
    // Stored JSON goes out as it is: the list is assembled from strings, never re-serialised.
    const parts: string[] = [
      `{"kind":${JSON.stringify(r.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`,
    ];
    for (let i = 0; i < items.length; i++) parts.push(i ? `,${items[i]!.json()}` : items[i]!.json());
    parts.push(']}');
    sendObject(res, 200, undefined, format, parts.join(''));
    return;
  }
  sendObject(res, 200, { kind: r.listKind, apiVersion, metadata: listMeta, items: items.map((i) => fromStorageVersion(r, i.object)) }, format);
}
