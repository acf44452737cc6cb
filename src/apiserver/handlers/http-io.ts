// Request and response plumbing shared by every handler: the parsed request, reading bodies with
// the 3 MiB limit, writing objects in the negotiated encoding, Status errors and Warning headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { encodeKubernetesProtobuf } from '../../api/protobuf/index.js';
import type { UserInfo } from '../registry/context.js';
import type { ApiMetrics } from '../metrics/index.js';
import { log } from '../../log/index.js';
import { encodeYaml, type ResponseFormat } from '../media-types.js';

export const maxBodyBytes = 3 * 1024 * 1024;

export interface ApiRequest {
  readonly raw: IncomingMessage;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly user: UserInfo;
  readonly warnings: string[];
  /** Where watches count the events they send; absent when the server keeps no metrics. */
  readonly metrics?: ApiMetrics | undefined;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBodyBytes) {
    req.resume();
    throw ApiError.tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBodyBytes) {
      req.resume();
      throw ApiError.tooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text.replace(/[\r\n]+/g, ' '))}`;
}

export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (!warnings.length || res.headersSent) return;
  res.setHeader('Warning', [...new Set(warnings)].map(warningHeader));
}

export function send(res: ServerResponse, code: number, contentType: string, body: string | Uint8Array, head = false): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(buf.length), 'Cache-Control': 'no-cache, private' });
  res.end(head ? undefined : buf);
}

export function sendJson(res: ServerResponse, code: number, value: unknown): void {
  send(res, code, 'application/json', JSON.stringify(value));
}

/** Writes one object in the negotiated encoding (views are built by the caller). */
export function sendObject(res: ServerResponse, code: number, value: unknown, format: ResponseFormat, preserialized?: string): void {
  switch (format.encoding) {
    case 'yaml':
      send(res, code, format.contentType, encodeYaml(value));
      return;
    case 'protobuf':
      send(res, code, format.contentType, encodeKubernetesProtobuf(value as Record<string, unknown>));
      return;
    case 'json':
      send(res, code, format.contentType, preserialized ?? JSON.stringify(value));
  }
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e = ApiError.from(err);
  if (e.code >= 500 && e.reason === 'InternalError') {
    log.error('Internal error', e.cause ?? e, { stack: e.cause instanceof Error ? e.cause.stack : undefined });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e.details?.retryAfterSeconds) res.setHeader('Retry-After', String(e.details.retryAfterSeconds));
  sendJson(res, e.code, e.toStatus());
}
