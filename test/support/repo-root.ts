// Locates the skiff checkout from this module's own file, so test helpers work the same whether they
// run as TypeScript sources (tsx) or compiled under dist/.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The directory holding skiff's package.json. */
export function repoRoot(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && isSkiffManifest(manifest)) return (cached = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no skiff package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function isSkiffManifest(file: string): boolean {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'skiff';
}
