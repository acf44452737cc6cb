// Skiff's files on the host: where they live (the data-dir layout and default paths) and how
// private ones are written (atomically).
export { dataDirLayout, defaultDataDir, defaultKubeconfigPath, type DataDirLayout } from './data-dir.js';
export { writeFileAtomic } from './private-file.js';
