// Request and response plumbing shared by every handler: the parsed request, reading bodies with
// the 3 MiB limit and read deadlines, writing objects in the negotiated encoding, Status errors and
// Warning headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, encodeKubernetesProtobuf } from '../../api/index.js';
import type { UserInfo } from '../registry/context.js';
import type { ApiMetrics } from '../metrics/index.js';
import { log } from '../../log/index.js';
import { encodeYaml, type ResponseFormat } from '../media-types.js';

export const maxBodyBytes = 3 * 1024 * 1024;

export interface ApiRequest {
  readonly raw: IncomingMessage;
  readonly method: string;
  /** The path with each segment percent-decoded once and dot segments kept, for non-resource routes. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly user: UserInfo;
  readonly warnings: string[];
  /** Where watches count the events they send; absent when the server keeps no metrics. */
  readonly metrics?: ApiMetrics | undefined;
}

/**
 * How long a request body may take. An honest client on loopback sends 3 MiB in milliseconds; these
 * only stop clients that trickle a body to hold a connection (kube-apiserver ends requests after
 * 60 s, its default --request-timeout).
 */
export interface BodyDeadlines {
  /** The whole body must have arrived within this, from when the handler starts reading it. */
  readonly totalMs: number;
  /** No gap between two chunks may be longer than this. */
  readonly idleMs: number;
}

export const defaultBodyDeadlines: BodyDeadlines = { totalMs: 60_000, idleMs: 15_000 };

const bodyDeadlines = new WeakMap<IncomingMessage, BodyDeadlines>();

/** Sets the deadlines readBody applies to this request (the server's configured ones). */
export function setBodyDeadlines(req: IncomingMessage, deadlines: BodyDeadlines): void {
  bodyDeadlines.set(req, deadlines);
}

/** 408 for a body that did not arrive in time; the connection is closed after the answer. */
function bodyTimeout(detail: string): ApiError {
  return new ApiError(408, 'Timeout', `Timeout: the request body was not received in time: ${detail}`, {});
}

/** An error that says the client went away: nothing to answer, nothing wrong with the server. */
export function isClientAbort(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return err.message === 'aborted' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function clientGone(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBodyBytes) {
    drainOrDrop(req, declared);
    return Promise.reject(ApiError.tooLarge());
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (req.destroyed) return Promise.reject(clientGone());
  const { totalMs, idleMs } = bodyDeadlines.get(req) ?? defaultBodyDeadlines;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: Error | undefined, body?: Buffer) => {
      clearTimeout(total);
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (err) reject(err);
      else resolve(body!);
    };
    const total = setTimeout(() => finish(bodyTimeout(`not complete after ${totalMs / 1000}s`)), totalMs);
    const idle = setTimeout(() => finish(bodyTimeout(`nothing arrived for ${idleMs / 1000}s`)), idleMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        finish(ApiError.tooLarge());
        drainOrDrop(req, declared || Infinity);
        return;
      }
      chunks.push(chunk);
      idle.refresh();
    };
    const onEnd = () => finish(undefined, Buffer.concat(chunks));
    const onError = (err: Error) => finish(err);
    // A close before the end is the client going away mid-upload.
    const onClose = () => finish(clientGone());
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Bodies up to this size are read to their end after a 413, so the client gets to read its answer. */
const maxDrainedBytes = 16 * 1024 * 1024;

/**
 * What happens to the rest of a body past the limit: a client that declared a few MiB has it read and
 * thrown away (it then reads its 413 and may reuse the connection); one that declared more, or sends
 * an unbounded chunked body, has its connection closed after the answer, so nobody can keep the server
 * reading gigabytes (Go's MaxBytesReader makes net/http close the connection too).
 */
function drainOrDrop(req: IncomingMessage, declared: number): void {
  if (declared <= maxDrainedBytes) {
    req.resume();
    return;
  }
  oversized.add(req);
}

const oversized = new WeakSet<IncomingMessage>();

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
  if (isClientAbort(err)) {
    // The client hung up: one line, no stack; there is no one left to answer.
    log.info('Client closed the connection before its request was served', { method: res.req?.method, uri: res.req?.url });
    res.destroy();
    return;
  }
  const e = ApiError.from(err);
  if (e.code >= 500 && e.reason === 'InternalError') {
    log.error('Internal error', e.cause ?? e, { stack: e.cause instanceof Error ? e.cause.stack : undefined });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e.details?.retryAfterSeconds) res.setHeader('Retry-After', String(e.details.retryAfterSeconds));
  // The rest of a body that took too long, or is far too large, is not read: the connection ends with this answer.
  if (e.code === 408 || oversized.has(res.req)) res.setHeader('Connection', 'close');
  sendJson(res, e.code, e.toStatus());
}
