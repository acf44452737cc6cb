// Public entry of the garbage collector: ownerReferences, and background, foreground and orphan deletion.
export { GarbageCollector } from './garbage-collector.js';
