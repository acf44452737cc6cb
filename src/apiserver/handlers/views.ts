// Shapes of responses for one object or a list: the client's version, Table rows, or
// PartialObjectMetadata, in the negotiated encoding.
import type { ServerResponse } from 'node:http';
import { fromStorageVersion, sharesStorageShape, apiVersionOf, type ResourceInfo } from '../../api/index.js';
import { buildTable, type PrinterColumn } from '../tables/index.js';
import type { ResponseFormat } from '../media-types.js';
import { writtenJsonOf, type CachedObject, type ObjectMap } from '../watch-cache.js';
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
    const table = buildTable(r.storage.group, r.resource, [obj], {
      ...customColumnsOf(r),
      includeObject: includeObjectParam(query),
      now: new Date(),
      listMeta: { resourceVersion: resourceVersionOf(obj) },
    });
    sendObject(res, code, table, format);
  } else if (format.view === 'metadata') {
    sendObject(res, code, partialMetadata(obj), format);
  } else {
    // The text the watch cache made of an object this request wrote is this very answer.
    sendObject(res, code, obj, format, format.encoding === 'json' && sharesStorageShape(r) ? writtenJsonOf(stored) : undefined);
  }
}

export async function sendList(
  res: ServerResponse,
  r: ResourceInfo,
  items: readonly CachedObject[],
  listMeta: ListMeta,
  format: ResponseFormat,
  query: URLSearchParams,
): Promise<void> {
  if (format.view === 'table') {
    const objs = items.map((i) => fromStorageVersion(r, i.toObject()));
    sendObject(
      res,
      200,
      buildTable(r.storage.group, r.resource, objs, { ...customColumnsOf(r), includeObject: includeObjectParam(query), now: new Date(), listMeta }),
      format,
    );
    return;
  }
  if (format.view === 'metadata') {
    sendObject(
      res,
      200,
      { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, items: items.map((i) => partialMetadata(i.toObject())) },
      format,
    );
    return;
  }
  const apiVersion = apiVersionOf(r);
  if (format.encoding === 'json' && sharesStorageShape(r)) {
    const head = `{"kind":${JSON.stringify(r.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`;
    return streamJsonList(res, format.contentType, head, items);
  }
  sendObject(res, 200, { kind: r.listKind, apiVersion, metadata: listMeta, items: items.map((i) => fromStorageVersion(r, i.toObject())) }, format);
}

/** Lists up to this many bytes of JSON go out whole with a Content-Length; longer ones are streamed. */
const streamThreshold = 256 * 1024;

/**
 * Writes a list from the stored JSON of its items, never re-serialised. A long list goes out in
 * chunks as the socket drains, so a 10,000-item answer never exists as one string or buffer.
 */
async function streamJsonList(res: ServerResponse, contentType: string, head: string, items: readonly CachedObject[]): Promise<void> {
  let chunk = head;
  let i = 0;
  for (; i < items.length && chunk.length < streamThreshold; i++) chunk += i ? `,${items[i]!.json()}` : items[i]!.json();
  if (i === items.length) {
    sendObject(res, 200, undefined, { encoding: 'json', contentType, view: 'object' }, `${chunk}]}`);
    return;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private' });
  for (;;) {
    if (!res.write(chunk) && !(await drained(res))) return;
    if (i === items.length) break;
    chunk = '';
    for (; i < items.length && chunk.length < streamThreshold; i++) chunk += `,${items[i]!.json()}`;
  }
  res.end(']}');
}

/** Resolves true once the response can take more, false when the client has gone. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** A custom resource's printer columns (none declared: the default Age column). */
export function customColumnsOf(r: ResourceInfo): { customColumns?: readonly PrinterColumn[] } {
  return r.custom ? { customColumns: r.custom.printerColumns } : {};
}
