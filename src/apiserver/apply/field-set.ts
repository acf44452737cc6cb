// A set of field paths as a trie keyed by FieldsV1 path elements (`f:name`, `k:{...}`, `v:...`),
// the shape metadata.managedFields stores. Set operations walk the tries once, so they stay
// linear in the number of paths; a path is spelled out as text only for conflict messages.

const noChildren: ReadonlyMap<string, FieldSet> = new Map();

export class FieldSet {
  /** This path itself is owned (FieldsV1 writes it as `.` when the node also has children). */
  member = false;
  /** Made on the first child: most nodes are leaves, and a Map each would be most of a set's cost. */
  private kids: Map<string, FieldSet> | undefined;

  get children(): ReadonlyMap<string, FieldSet> {
    return this.kids ?? noChildren;
  }

  setChild(element: string, child: FieldSet): void {
    (this.kids ??= new Map()).set(element, child);
  }

  deleteChild(element: string): void {
    this.kids?.delete(element);
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    fill(set, fields);
    return set;
  }

  /** The child for `element`, created if missing. */
  child(element: string): FieldSet {
    let c = this.kids?.get(element);
    if (!c) {
      c = new FieldSet();
      this.setChild(element, c);
    }
    return c;
  }

  empty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.empty()) return false;
    return true;
  }

  has(path: readonly string[]): boolean {
    const [first, ...rest] = path;
    if (first === undefined) return this.member;
    return this.children.get(first)?.has(rest) ?? false;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const [e, c] of this.children) {
      const o = other.children.get(e);
      out.setChild(e, o ? c.union(o) : c.clone());
    }
    for (const [e, o] of other.children) if (!this.children.has(e)) out.setChild(e, o.clone());
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [e, c] of this.children) {
      const o = other.children.get(e);
      if (!o) continue;
      const i = c.intersection(o);
      // Results are pruned bottom-up, so a node without member or children is empty: no deep check.
      if (i.member || i.children.size) out.setChild(e, i);
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [e, c] of this.children) {
      const o = other.children.get(e);
      if (!o) {
        out.setChild(e, c.clone());
        continue;
      }
      const d = c.difference(o);
      if (d.member || d.children.size) out.setChild(e, d);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [e, c] of this.children) out.setChild(e, c.clone());
    return out;
  }

  /** Member paths in FieldsV1 order (elements sorted as text at each level, a node before its children). */
  paths(): string[][] {
    const out: string[][] = [];
    const walk = (node: FieldSet, prefix: string[]) => {
      if (node.member && prefix.length) out.push([...prefix]);
      for (const e of [...node.children.keys()].sort()) {
        prefix.push(e);
        walk(node.children.get(e)!, prefix);
        prefix.pop();
      }
    };
    walk(this, []);
    return out;
  }

  /** The FieldsV1 object: members with children carry `.`, leaves are `{}`. */
  toFieldsV1(): Record<string, unknown> {
    return encode(this) ?? {};
  }
}

/** One pass: undefined for a subtree that owns nothing. `.` comes first, then the elements sorted as text. */
function encode(set: FieldSet): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  const elements = set.children.size > 1 ? [...set.children.keys()].sort() : set.children.keys();
  for (const e of elements) {
    const c = encode(set.children.get(e)!);
    if (c === undefined) continue;
    if (!out) {
      out = {};
      if (set.member) out['.'] = {};
    }
    out[e] = c;
  }
  return out ?? (set.member ? {} : undefined);
}

function fill(set: FieldSet, fields: unknown): void {
  if (!fields || typeof fields !== 'object') return;
  for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
    if (k === '.') {
      set.member = true;
      continue;
    }
    const c = set.child(k);
    if (!v || typeof v !== 'object' || Object.keys(v).length === 0) c.member = true;
    else fill(c, v);
  }
}

/** A path as structured-merge-diff prints it in conflicts: `.spec.containers[name="app"].image`, `[=value]` for set items. */
export function pathString(path: readonly string[]): string {
  let out = '';
  for (const e of path) {
    const body = e.slice(2);
    if (e.startsWith('f:')) out += `.${body}`;
    else if (e.startsWith('v:')) out += `[=${body}]`;
    else if (e.startsWith('k:')) {
      const keys = JSON.parse(body) as Record<string, unknown>;
      out += `[${Object.keys(keys)
        .sort()
        .map((k) => `${k}=${JSON.stringify(keys[k])}`)
        .join(',')}]`;
    } else out += `[${body}]`;
  }
  return out;
}
