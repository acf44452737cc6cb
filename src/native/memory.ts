// The C library's side of the process's memory, through the small addon in native/ (built by
// `npm install`): how much glibc's heap holds free, and a trim that gives those pages back to the
// system. Where the addon is not built or the C library cannot, both do nothing and the log says
// so once.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../lang/index.js';
import { log } from '../log/index.js';

interface MemoryAddon {
  trim(): boolean;
  freeBytes(): number;
}

/** The package root, from dist/src/native/ where this module runs. */
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let addon: MemoryAddon | null | undefined;

function load(): MemoryAddon | null {
  if (addon !== undefined) return addon;
  try {
    addon = createRequire(import.meta.url)(path.join(packageRoot, 'build', 'Release', 'skiff_memory.node')) as MemoryAddon;
  } catch (error) {
    addon = null;
    log.v(1, 'Freed native memory stays with the process: the memory addon is not built (run `npm run build:native`)', {
      error: errorMessage(error),
    });
  }
  return addon;
}

/**
 * Returns the C library's free heap pages to the system (glibc's malloc_trim). Resolves to whether
 * anything went back; undefined when this build cannot trim.
 */
export function trimNativeHeap(): boolean | undefined {
  return load()?.trim();
}

/** Bytes the C heap holds free (allocated from the system, not in use); undefined when unknown. */
export function nativeHeapFreeBytes(): number | undefined {
  const bytes = load()?.freeBytes();
  return bytes === undefined || bytes < 0 ? undefined : bytes;
}
