// Writing a file so that readers see either the old content or the new, never half of it: keys,
// tokens and kubeconfigs, private to the owner unless asked otherwise.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes through a temp file and a rename, creating the parent dir; mode 0600 unless given. */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}
