// The API server's routes, one table: each names what it serves, the methods it answers (others
// get 405) and whether it is open without credentials. Authentication and authorization run before
// any of them (see http-server); a new endpoint (the registry, /dashboard/) is one more row.
import type { ServerResponse } from 'node:http';
import { ApiError, findResource } from '../api/index.js';
import type { HealthChecks } from '../component/index.js';
import type { ApiServer } from './apiserver.js';
import { serveComponentStatuses } from './component-statuses.js';
import { aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryRequested, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { send, sendJson, type ApiRequest } from './handlers/http-io.js';
import { serveResource } from './handlers/resource-handler.js';
import { healthTarget, serveHealth } from './health-endpoints.js';
import type { ApiMetrics } from './metrics/index.js';
import { openApiV2Document, openApiV2Protobuf, openApiV3Document, openApiV3Index, openApiV3Lookup } from './openapi.js';
import { checkNameParameter } from './registry/name-parameter.js';
import { resourceMethods, type NonResourceRequest, type ResourceRequest } from './request-info.js';

export const kubernetesVersion = { major: '1', minor: '35', gitVersion: 'v1.35.0+skiff' } as const;

/** What routes serve from. */
export interface RouteContext {
  readonly api: ApiServer;
  readonly health: HealthChecks;
  readonly metrics?: ApiMetrics | undefined;
}

/** The request as routes match it: its decoded path segments and what kube's RequestInfo makes of it. */
export interface RouteTarget {
  readonly path: string;
  readonly segments: readonly string[];
  readonly info: ResourceRequest | NonResourceRequest;
}

export interface Route {
  readonly name: string;
  matches(target: RouteTarget, ctx: RouteContext): boolean;
  /** The methods answered; absent: any. */
  readonly methods?: ReadonlySet<string>;
  /** Open to requests without credentials (kube's system:public-info-viewer paths). */
  readonly public?: boolean;
  serve(ctx: RouteContext, req: ApiRequest, res: ServerResponse, target: RouteTarget): Promise<void> | void;
}

const readOnly: ReadonlySet<string> = new Set(['GET', 'HEAD']);

const discoveryGroup = /^\/apis\/([^/]+)$/;
const discoveryVersion = /^\/api\/([^/]+)$|^\/apis\/([^/]+)\/([^/]+)$/;
const openApiV2Paths: ReadonlySet<string> = new Set(['/openapi/v2', '/swagger.json', '/swagger-2.0.0.pb-v1']);

export const routes: readonly Route[] = [
  {
    name: 'health',
    public: true,
    methods: readOnly,
    matches: (t, ctx) => healthTarget(ctx.health, t.segments) !== undefined,
    serve: (ctx, req, res, t) => serveHealth(ctx.health, healthTarget(ctx.health, t.segments)!, req, res),
  },
  {
    name: 'version',
    public: true,
    methods: readOnly,
    matches: (t) => t.path === '/version',
    serve: (_ctx, _req, res) => sendJson(res, 200, versionInfo()),
  },
  {
    name: 'metrics',
    matches: (t, ctx) => t.path === '/metrics' && ctx.metrics !== undefined,
    serve: async (ctx, _req, res) => send(res, 200, ctx.metrics!.contentType, await ctx.metrics!.text()),
  },
  {
    name: 'discovery: /api and /apis',
    methods: readOnly,
    matches: (t) => t.path === '/api' || t.path === '/apis',
    serve: (ctx, req, res) => {
      const core = req.path === '/api';
      const aggregated = aggregatedDiscoveryRequested(req.raw.headers.accept);
      if (aggregated) {
        res.setHeader('Vary', 'Accept');
        return send(res, 200, aggregatedContentType(aggregated), JSON.stringify(aggregatedDiscovery(core, aggregated)));
      }
      sendJson(res, 200, core ? apiVersions(`${ctx.api.config.advertiseAddress}:${ctx.api.config.securePort}`) : apiGroupList());
    },
  },
  {
    name: 'discovery: a group',
    methods: readOnly,
    matches: (t) => discoveryGroup.test(t.path),
    serve: (_ctx, req, res) => {
      const g = apiGroup(discoveryGroup.exec(req.path)![1]!);
      if (!g) throw ApiError.pathNotFound();
      sendJson(res, 200, g);
    },
  },
  {
    name: 'discovery: a group version',
    methods: readOnly,
    matches: (t) => discoveryVersion.test(t.path),
    serve: (_ctx, req, res) => {
      const m = discoveryVersion.exec(req.path)!;
      const list = m[1] !== undefined ? apiResourceList('', m[1]) : apiResourceList(m[2]!, m[3]!);
      if (!list) throw ApiError.pathNotFound();
      sendJson(res, 200, list);
    },
  },
  {
    name: 'openapi v3',
    matches: (t) => t.path === '/openapi/v3' || t.path.startsWith('/openapi/v3/'),
    serve: (_ctx, req, res) => {
      if (req.path === '/openapi/v3') return sendJson(res, 200, openApiV3Index(kubernetesVersion.gitVersion));
      const target = openApiV3Lookup(req.path.slice('/openapi/v3/'.length));
      const doc = target && openApiV3Document(target.group, target.version, kubernetesVersion.gitVersion);
      if (!doc) throw ApiError.pathNotFound();
      res.setHeader('Etag', `"${doc.hash}"`);
      if (req.query.get('hash') === doc.hash) res.setHeader('Cache-Control', 'public, immutable');
      send(res, 200, 'application/json', doc.body);
    },
  },
  {
    name: 'openapi v2',
    matches: (t) => openApiV2Paths.has(t.path),
    serve: (_ctx, req, res) => {
      const accept = req.raw.headers.accept ?? '';
      // kube-apiserver's rule: protobuf when asked for and JSON is not acceptable (kubectl 1.20 validates with it).
      if (req.path === '/swagger-2.0.0.pb-v1' || (accept.includes('protobuf') && !accept.includes('application/json')))
        return send(res, 200, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', openApiV2Protobuf(kubernetesVersion.gitVersion));
      send(res, 200, 'application/json', openApiV2Document(kubernetesVersion.gitVersion));
    },
  },
  {
    name: 'componentstatuses',
    methods: resourceMethods,
    matches: (t) => t.info.kind === 'resource' && t.info.group === '' && t.info.version === 'v1' && t.info.resource === 'componentstatuses',
    serve: (ctx, req, res, t) => serveComponentStatuses(ctx.health, findResource('', 'v1', 'componentstatuses')!, req, res, t.info as ResourceRequest),
  },
  {
    name: 'resources',
    // kube routes only these methods to resources; PROPFIND, TRACE, OPTIONS and the like are 405.
    methods: resourceMethods,
    matches: (t) => t.info.kind === 'resource',
    serve: (ctx, req, res, t) => {
      const info = t.info as ResourceRequest;
      checkNameParameter('Name', info.name);
      checkNameParameter('Namespace', info.namespace);
      return serveResource(ctx.api, req, res, info);
    },
  },
];

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
