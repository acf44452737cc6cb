// How a type's JSON fields map onto its protobuf message: fields by number, and the nested
// messages that hold fields promoted from inlined structs (Volume's VolumeSource is field 2).
// Shared by the decoder and the encoder; built once per type.
import { typeFacts, type FieldFacts, type TypeFacts } from '../facts/index.js';

export type LayoutEntry =
  | { readonly number: number; readonly field: FieldFacts }
  | { readonly number: number; readonly embedded: MessageLayout };

export interface MessageLayout {
  /** Entries in ascending field number: the order Go writes them. */
  readonly entries: readonly LayoutEntry[];
  readonly byNumber: ReadonlyMap<number, LayoutEntry>;
}

const cache = new Map<string, MessageLayout>();

export function layoutOf(type: TypeFacts): MessageLayout {
  let layout = cache.get(type.name);
  if (!layout) {
    layout = buildLayout(type.fields.filter((f) => f.proto !== undefined), 0);
    cache.set(type.name, layout);
  }
  return layout;
}

function buildLayout(fields: readonly FieldFacts[], depth: number): MessageLayout {
  const direct: LayoutEntry[] = [];
  const groups = new Map<number, FieldFacts[]>();
  for (const field of fields) {
    const path = field.embeddedIn ?? [];
    const via = path[depth];
    if (via === undefined) direct.push({ number: field.proto!, field });
    else groups.set(via, [...(groups.get(via) ?? []), field]);
  }
  for (const [number, members] of groups) direct.push({ number, embedded: buildLayout(members, depth + 1) });
  direct.sort((a, b) => a.number - b.number);
  return { entries: direct, byNumber: new Map(direct.map((e) => [e.number, e])) };
}

/** Facts for a referenced type; a missing one means facts.json and the codec disagree. */
export function requireType(name: string): TypeFacts {
  const type = typeFacts(name);
  if (!type) throw new Error(`type ${name} is not in the API facts`);
  return type;
}
