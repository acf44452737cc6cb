// The HTTPS front end: TLS with optional client certificates, then for every request one
// authentication step, one authorization step and the route table (routes.ts). Every failure
// leaves as a Status object.
import { createServer, type Server } from 'node:https';
import { createServer as createPlainServer, type IncomingMessage, type Server as PlainServer, type ServerResponse } from 'node:http';
import { ApiError } from '../api/index.js';
import { HealthChecks } from '../component/index.js';
import type { ApiServer } from './apiserver.js';
import { anonymousUser, tokenAndCertificateAuthenticator, type Authenticator } from './authentication.js';
import { defaultAuthorizer, type Authorizer } from './authorization.js';
import { defaultBodyDeadlines, sendError, sendJson, setBodyDeadlines, setWarnings, type ApiRequest } from './handlers/http-io.js';
import { parseRequestInfo, parseRequestTarget, pathSegments } from './request-info.js';
import { log } from '../log/index.js';
import { observeRequest, type ApiMetrics } from './metrics/index.js';
import { routes, type RouteContext, type RouteTarget } from './routes.js';

export { kubernetesVersion } from './routes.js';

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
  /** The checks /healthz, /livez, /readyz and componentstatuses report; default: ping alone. */
  readonly health?: HealthChecks;
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

export function createHttpServer(opts: HttpServerOptions): Server {
  const handler = requestHandler(opts);
  const timeouts = handler.timeouts;
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
      handler.handle(req, res).catch((err: unknown) => sendError(res, err));
    },
  );
}

/**
 * The same API over plain HTTP, listening nowhere: the components of the server's own process reach
 * it through in-process connections (see in-process-connection). Requests still authenticate with
 * a bearer token; there are no client certificates on this path.
 */
export function createLocalHttpServer(opts: HandlerOptions): PlainServer {
  const handler = requestHandler(opts);
  return createPlainServer(nodeServerTimeouts(handler.timeouts), (req, res) => {
    handler.handle(req, res).catch((err: unknown) => sendError(res, err));
  });
}

function requestHandler(opts: HandlerOptions) {
  const timeouts = opts.timeouts ?? httpTimeoutsFromEnv(process.env);
  const ctx: RouteContext = { api: opts.api, health: opts.health ?? new HealthChecks(), metrics: opts.metrics };
  const authenticate = tokenAndCertificateAuthenticator(opts.adminToken);
  return { timeouts, handle: (raw: IncomingMessage, res: ServerResponse) => handle(ctx, timeouts, authenticate, defaultAuthorizer, raw, res) };
}

async function handle(
  ctx: RouteContext,
  timeouts: HttpTimeouts,
  authenticate: Authenticator,
  authorize: Authorizer,
  raw: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // The target is split by hand: a URL parser resolves `.`, `..` and even `%2e%2e` segments.
  const target = parseRequestTarget(raw.url ?? '/');
  const segments = pathSegments(target.rawPath);
  const path = segments ? `/${segments.join('/')}` : target.rawPath;
  const method = raw.method ?? 'GET';
  const info = parseRequestInfo(method, target.rawPath, target.query);
  const routeTarget: RouteTarget | undefined = segments && { path, segments, info };
  const route = routeTarget && routes.find((r) => r.matches(routeTarget, ctx));
  // 1. Authentication: who is asking. Only the public routes answer without credentials.
  const user = authenticate(raw);
  if (!user && !route?.public) {
    // Its body is not read: the connection closes once the 401 is out, so it cannot be held open.
    res.setHeader('Connection', 'close');
    sendJson(res, 401, ApiError.unauthorized().toStatus());
    return;
  }
  if (!routeTarget) throw ApiError.badRequest(`invalid request path ${JSON.stringify(target.rawPath)}: malformed percent-encoding`);
  setBodyDeadlines(raw, { totalMs: timeouts.bodyMs, idleMs: timeouts.bodyIdleMs });
  const req: ApiRequest = { raw, method, path, query: target.query, user: user ?? anonymousUser, warnings: [], metrics: ctx.metrics };
  if (ctx.metrics) observeRequest(ctx.metrics, raw, res, info, req.query);
  const originalWriteHead = res.writeHead.bind(res);
  // Warnings gathered while handling go out with whatever response is written first.
  res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
    setWarnings(res, req.warnings);
    return originalWriteHead(...args);
  }) as typeof res.writeHead;
  try {
    if (!route) throw ApiError.pathNotFound();
    // 2. Authorization: whether this user may make this request (decoded path for non-resource ones).
    if (user) authorize(user, info.kind === 'resource' ? info : { kind: 'nonresource', path }, method);
    if (route.methods && !route.methods.has(method)) throw ApiError.methodNotAllowed();
    await route.serve(ctx, req, res, routeTarget);
  } catch (err) {
    sendError(res, err);
  }
}
