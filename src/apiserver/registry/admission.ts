// Admission hooks that run inside the registry's writes, after defaulting and validation:
// allocators (service IPs, node ports) and other checks that need the store.
import type { ResourceInfo } from '../../api/index.js';
import type { ObjectMap } from '../watch-cache.js';
import type { RequestContext } from './context.js';

/** Undoes an allocation when the write it prepared for does not happen. */
export type Undo = () => Promise<void>;

export interface AdmissionPlugin {
  readonly name: string;
  handles(r: ResourceInfo): boolean;
  /** `r` is the resource being written (plugins handling several kinds tell them apart by it). */
  create?(ctx: RequestContext, obj: ObjectMap, r: ResourceInfo): Promise<Undo | undefined>;
  update?(ctx: RequestContext, obj: ObjectMap, old: Readonly<ObjectMap>, r: ResourceInfo): Promise<Undo | undefined>;
  /** After the object is gone from storage: release what it held. */
  deleted?(obj: Readonly<ObjectMap>): Promise<void>;
}
