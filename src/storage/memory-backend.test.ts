// Runs the storage conformance suite against the in-memory backend.
import { createMemoryBackend } from './memory-backend.js';
import { runConformanceSuite } from './conformance.test-support.js';

runConformanceSuite('memory', () => Promise.resolve({ backend: createMemoryBackend(), cleanup: () => Promise.resolve() }));
