// The HTTPS front end: TLS with optional client certificates, authentication (client certificates
// signed by the cluster CA, the admin bearer token), and routing to health, version, discovery,
// OpenAPI and resource handlers. Every failure leaves as a Status object.
import { createServer, type Server } from 'node:https';
import { createServer as createPlainServer, type IncomingMessage, type Server as PlainServer, type ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api/errors.js';
import type { ApiServer } from './apiserver.js';
import { aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryRequested, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { defaultBodyDeadlines, send, sendError, sendJson, setBodyDeadlines, setWarnings, type ApiRequest } from './handlers/http-io.js';
import { serveResource } from './handlers/resource-handler.js';
import { openApiV2Document, openApiV2Protobuf, openApiV3Document, openApiV3Index, openApiV3Lookup } from './openapi.js';
import type { UserInfo } from './registry/context.js';
import { parseRequestInfo, parseRequestTarget, pathSegments, resourceMethods, type NonResourceRequest, type ResourceRequest } from './request-info.js';
import { checkNameParameter } from './registry/name-parameter.js';
import { log } from '../log/index.js';
import { observeRequest, type ApiMetrics } from './metrics/index.js';

export const kubernetesVersion = { major: '1', minor: '35', gitVersion: 'v1.35.0+skiff' } as const;

export interface HttpServerOptions {
  readonly api: ApiServer;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly adminToken: string;
  readonly bindAddress: string;
  readonly port: number;
  /** Served at /metrics and fed by every authenticated request. */
  readonly metrics?: ApiMetrics;
  /** How long clients may take to send a request; production defaults (see httpTimeoutsFromEnv). */
  readonly timeouts?: HttpTimeouts;
}

/** Deadlines for receiving a request, so that slow or stalled clients cannot hold connections. */
export interface HttpTimeouts {
  /** All request headers must arrive within this (kube-apiserver's ReadHeaderTimeout is 32 s). */
  readonly headersMs: number;
  /** The whole body must arrive within this (kube-apiserver's request timeout is 60 s). */
  readonly bodyMs: number;
  /** No gap in a body may be longer than this. */
  readonly bodyIdleMs: number;
}

export const defaultHttpTimeouts: HttpTimeouts = { headersMs: 32_000, bodyMs: defaultBodyDeadlines.totalMs, bodyIdleMs: defaultBodyDeadlines.idleMs };

const timeoutVariables = { headersMs: 'SKIFF_HEADERS_TIMEOUT_MS', bodyMs: 'SKIFF_BODY_TIMEOUT_MS', bodyIdleMs: 'SKIFF_BODY_IDLE_TIMEOUT_MS' } as const;

/**
 * The request deadlines, each overridable in milliseconds by an environment variable
 * (SKIFF_HEADERS_TIMEOUT_MS, SKIFF_BODY_TIMEOUT_MS, SKIFF_BODY_IDLE_TIMEOUT_MS): tests shorten them.
 */
export function httpTimeoutsFromEnv(env: NodeJS.ProcessEnv): HttpTimeouts {
  const timeouts: Record<keyof HttpTimeouts, number> = { ...defaultHttpTimeouts };
  for (const [field, variable] of Object.entries(timeoutVariables) as [keyof HttpTimeouts, string][]) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    const ms = Number(text);
    if (/^\d+$/.test(text) && ms > 0 && ms <= 2_147_483_647) timeouts[field] = ms;
    else log.warning(`Ignoring ${variable}: not a whole number of milliseconds from 1 to 2147483647`, { value: text });
  }
  return timeouts;
}

/** Node's own limits from the deadlines: headers, and the whole request as a backstop for unread bodies. */
function nodeServerTimeouts(t: HttpTimeouts) {
  return {
    headersTimeout: t.headersMs,
    requestTimeout: t.headersMs + t.bodyMs,
    // Node checks both deadlines on this period; the default 30 s would let them run long.
    connectionsCheckingInterval: Math.min(5_000, Math.max(50, Math.floor(Math.min(t.headersMs, t.bodyMs) / 4))),
    keepAliveTimeout: 120_000,
  };
}

/** What serving a request needs, whichever listener it came in on. */
type HandlerOptions = Omit<HttpServerOptions, 'caPem' | 'certPem' | 'keyPem'>;

const healthEndpoints = new Set(['healthz', 'livez', 'readyz']);
/** The checks each health endpoint reports, each also served on its own path (`/readyz/ping`). */
const healthChecks = ['ping', 'etcd', 'informer-sync'];

/** The health endpoint and check a path names, from its decoded segments (so `/readyz%2f..` names none). */
function healthTarget(segments: readonly string[] | undefined): { endpoint: string; check?: string } | undefined {
  if (!segments || !healthEndpoints.has(segments[0] ?? '') || segments.length > 2) return undefined;
  if (segments.length === 1) return { endpoint: segments[0]! };
  return healthChecks.includes(segments[1]!) ? { endpoint: segments[0]!, check: segments[1]! } : undefined;
}

function versionInfo(): unknown {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    emulationMajor: kubernetesVersion.major,
    emulationMinor: kubernetesVersion.minor,
    minCompatibilityMajor: kubernetesVersion.major,
    minCompatibilityMinor: String(Number(kubernetesVersion.minor) - 1),
    gitVersion: kubernetesVersion.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-22T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

function authenticate(req: IncomingMessage, adminToken: Buffer): UserInfo | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = Buffer.from(auth.slice(7).trim());
    if (token.length === adminToken.length && timingSafeEqual(token, adminToken)) return { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
    return undefined;
  }
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  // A connection's certificate never changes: decode it once, not on every request it carries.
  if (certificateUsers.has(socket)) return certificateUsers.get(socket);
  const user = certificateUser(socket);
  certificateUsers.set(socket, user);
  return user;
}

const certificateUsers = new WeakMap<TLSSocket, UserInfo | undefined>();

/** The user a verified client certificate names: CN is the user, each O a group. */
function certificateUser(socket: TLSSocket): UserInfo | undefined {
  const subject = socket.getPeerCertificate().subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const cn = subject?.CN;
  const o = subject?.O;
  const name = Array.isArray(cn) ? cn[0] : cn;
  return name ? { name, groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] } : undefined;
}

export function createHttpServer(opts: HttpServerOptions): Server {
  const adminToken = Buffer.from(opts.adminToken);
  const timeouts = opts.timeouts ?? httpTimeoutsFromEnv(process.env);
  const handlerOptions = { ...opts, timeouts };
  return createServer(
    {
      ca: [opts.caPem],
      cert: opts.certPem,
      key: opts.keyPem,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      // Go bounds the TLS handshake by ReadHeaderTimeout too; Node's default would be 120 s.
      handshakeTimeout: timeouts.headersMs,
      ...nodeServerTimeouts(timeouts),
    },
    (req, res) => {
      handle(handlerOptions, adminToken, req, res).catch((err: unknown) => sendError(res, err));
    },
  );
}

/**
 * The same API over plain HTTP, listening nowhere: the components of the server's own process reach
 * it through in-process connections (see in-process-connection). Requests still authenticate with
 * a bearer token; there are no client certificates on this path.
 */
export function createLocalHttpServer(opts: HandlerOptions): PlainServer {
  const adminToken = Buffer.from(opts.adminToken);
  const timeouts = opts.timeouts ?? httpTimeoutsFromEnv(process.env);
  const handlerOptions = { ...opts, timeouts };
  return createPlainServer(nodeServerTimeouts(timeouts), (req, res) => {
    handle(handlerOptions, adminToken, req, res).catch((err: unknown) => sendError(res, err));
  });
}

async function handle(opts: HandlerOptions & { timeouts: HttpTimeouts }, adminToken: Buffer, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  // The target is split by hand: a URL parser resolves `.`, `..` and even `%2e%2e` segments.
  const target = parseRequestTarget(raw.url ?? '/');
  const segments = pathSegments(target.rawPath);
  const path = segments ? `/${segments.join('/')}` : target.rawPath;
  const method = raw.method ?? 'GET';
  const user = authenticate(raw, adminToken);
  const isPublic = path === '/version' || healthTarget(segments) !== undefined;
  if (!user && !isPublic) {
    // Its body is not read: the connection closes once the 401 is out, so it cannot be held open.
    res.setHeader('Connection', 'close');
    sendJson(res, 401, ApiError.unauthorized().toStatus());
    return;
  }
  if (!segments) throw ApiError.badRequest(`invalid request path ${JSON.stringify(target.rawPath)}: malformed percent-encoding`);
  setBodyDeadlines(raw, { totalMs: opts.timeouts.bodyMs, idleMs: opts.timeouts.bodyIdleMs });
  const req: ApiRequest = {
    raw,
    method,
    path,
    query: target.query,
    user: user ?? { name: 'system:anonymous', groups: ['system:unauthenticated'] },
    warnings: [],
    metrics: opts.metrics,
  };
  const info = parseRequestInfo(method, target.rawPath, req.query);
  if (opts.metrics) observeRequest(opts.metrics, raw, res, info, req.query);
  const originalWriteHead = res.writeHead.bind(res);
  // Warnings gathered while handling go out with whatever response is written first.
  res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
    setWarnings(res, req.warnings);
    return originalWriteHead(...args);
  }) as typeof res.writeHead;
  try {
    await route(opts, req, res, info);
  } catch (err) {
    sendError(res, err);
  }
}

/** /version, /api, /apis, /api/<version>, /apis/<group> and /apis/<group>/<version>. */
function isDiscoveryPath(path: string): boolean {
  return path === '/version' || /^\/(api(\/[^/]+)?|apis(\/[^/]+){0,2})$/.test(path);
}

async function route(opts: HandlerOptions, req: ApiRequest, res: ServerResponse, info: ResourceRequest | NonResourceRequest): Promise<void> {
  const { path } = req;
  const health = healthTarget(path.split('/').slice(1));
  if (health) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw ApiError.methodNotAllowed();
    const verbose = req.query.has('verbose');
    const lines = health.check ? [`[+]${health.check} ok`] : healthChecks.map((c) => `[+]${c} ok`);
    send(res, 200, 'text/plain; charset=utf-8', verbose ? `${lines.join('\n')}\n${health.endpoint} check passed\n` : 'ok');
    return;
  }
  // Discovery and /version are GET routes in kube's router: other methods are 405 there too.
  if (isDiscoveryPath(path) && req.method !== 'GET' && req.method !== 'HEAD') throw ApiError.methodNotAllowed();
  if (path === '/version') return sendJson(res, 200, versionInfo());
  if (path === '/metrics' && opts.metrics) {
    // kube grants /metrics through RBAC; without RBAC here, only cluster admins may read it.
    if (!req.user.groups.includes('system:masters')) throw new ApiError(403, 'Forbidden', `forbidden: User "${req.user.name}" cannot get path "/metrics"`, {});
    return send(res, 200, opts.metrics.contentType, await opts.metrics.text());
  }
  if (path === '/api' || path === '/apis') {
    const aggregated = aggregatedDiscoveryRequested(req.raw.headers.accept);
    if (aggregated) {
      const body = JSON.stringify(aggregatedDiscovery(path === '/api', aggregated));
      res.setHeader('Vary', 'Accept');
      send(res, 200, aggregatedContentType(aggregated), body);
      return;
    }
    return sendJson(res, 200, path === '/api' ? apiVersions(`${opts.api.config.advertiseAddress}:${opts.api.config.securePort}`) : apiGroupList());
  }
  const apisGroup = /^\/apis\/([^/]+)$/.exec(path);
  if (apisGroup) {
    const g = apiGroup(apisGroup[1]!);
    if (!g) throw ApiError.pathNotFound();
    return sendJson(res, 200, g);
  }
  const gv = /^\/api\/([^/]+)$/.exec(path) ?? /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (gv) {
    const list = gv.length === 2 ? apiResourceList('', gv[1]!) : apiResourceList(gv[1]!, gv[2]!);
    if (!list) throw ApiError.pathNotFound();
    return sendJson(res, 200, list);
  }
  if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Index(kubernetesVersion.gitVersion));
  if (path.startsWith('/openapi/v3/')) {
    const target = openApiV3Lookup(path.slice('/openapi/v3/'.length));
    const doc = target && openApiV3Document(target.group, target.version, kubernetesVersion.gitVersion);
    if (!doc) throw ApiError.pathNotFound();
    res.setHeader('Etag', `"${doc.hash}"`);
    if (req.query.get('hash') === doc.hash) res.setHeader('Cache-Control', 'public, immutable');
    send(res, 200, 'application/json', doc.body);
    return;
  }
  if (path === '/openapi/v2' || path === '/swagger.json' || path === '/swagger-2.0.0.pb-v1') {
    const accept = req.raw.headers.accept ?? '';
    // kube-apiserver's rule: protobuf when asked for and JSON is not acceptable (kubectl 1.20 validates with it).
    if (path === '/swagger-2.0.0.pb-v1' || (accept.includes('protobuf') && !accept.includes('application/json'))) {
      send(res, 200, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', openApiV2Protobuf(kubernetesVersion.gitVersion));
      return;
    }
    send(res, 200, 'application/json', openApiV2Document(kubernetesVersion.gitVersion));
    return;
  }
  if (info.kind === 'resource') {
    // kube routes only these methods to resources; PROPFIND, TRACE, OPTIONS and the like are 405.
    if (!resourceMethods.has(req.method)) throw ApiError.methodNotAllowed();
    checkNameParameter('Name', info.name);
    checkNameParameter('Namespace', info.namespace);
    return serveResource(opts.api, req, res, info);
  }
  throw ApiError.pathNotFound();
}
