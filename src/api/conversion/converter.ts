// The shape of a version converter: how a client version's object becomes the storage version's
// and back, plus the defaults that version applied before converting (its SetDefaults_*).
export type Obj = Record<string, unknown>;

export interface Converter {
  /** Defaults the client version applies to a decoded object, before conversion. Mutates obj. */
  defaults?(obj: Obj): void;
  toStorage(obj: Obj): Obj;
  fromStorage(obj: Readonly<Obj>): Obj;
}

export function rec(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** The object's own copy of a nested map, created when absent. */
export function own(parent: Obj, key: string): Obj {
  const copy: Obj = { ...rec(parent[key]) };
  parent[key] = copy;
  return copy;
}
