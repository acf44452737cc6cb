// Where strategic merge patch learns how to merge a field: the patch strategy and merge key of
// each field, found by walking the API type facts (ref, array and map field types) the way
// strategicpatch walks Go struct tags.
import type { FieldType, TypeFacts } from '../../api/index.js';

export type LookupType = (name: string) => TypeFacts | undefined;

export interface PatchMeta {
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

const NO_META: PatchMeta = { strategies: [], mergeKey: '' };

/**
 * The type at one point of the walk. Fields the facts do not describe (and the members of special
 * types such as raw extensions) get an untyped schema: maps merge, lists are replaced.
 */
export class PatchSchema {
  private constructor(
    private readonly type: FieldType | undefined,
    private readonly lookupType: LookupType,
  ) {}

  static of(typeName: string, lookupType: LookupType): PatchSchema {
    return new PatchSchema({ kind: 'ref', type: typeName }, lookupType);
  }

  /** The field `key` of this object type, with its patch meta. */
  forStruct(key: string): [PatchSchema, PatchMeta] {
    const type = this.type;
    if (type?.kind === 'map') return [new PatchSchema(type.values, this.lookupType), NO_META];
    if (type?.kind !== 'ref') return [new PatchSchema(undefined, this.lookupType), NO_META];
    const facts = this.lookupType(type.type);
    if (!facts || facts.special) return [new PatchSchema(undefined, this.lookupType), NO_META];
    // Go's encoding/json prefers the exact name and falls back to a case-insensitive match.
    const lower = key.toLowerCase();
    const field = facts.fields.find((f) => f.name === key) ?? facts.fields.find((f) => f.name.toLowerCase() === lower);
    if (!field) return [new PatchSchema(undefined, this.lookupType), NO_META];
    const strategies = field.patchStrategy ? field.patchStrategy.split(',') : [];
    return [new PatchSchema(field.type, this.lookupType), { strategies, mergeKey: field.patchMergeKey ?? '' }];
  }

  /** The list field `key` of this object type: the schema of its elements, with the list's patch meta. */
  forSlice(key: string): [PatchSchema, PatchMeta] {
    const [field, meta] = this.forStruct(key);
    const items = field.type?.kind === 'array' ? field.type.items : undefined;
    return [new PatchSchema(items, this.lookupType), meta];
  }

  /** Go's reflect Kind name of this type, as upstream puts it into some error messages. */
  kindName(): string {
    const kind = this.type?.kind;
    switch (kind) {
      case undefined:
        return 'interface';
      case 'ref':
        // Every referenced type, special ones included (Quantity, Time, IntOrString), is a Go struct.
        return 'struct';
      case 'array':
      case 'bytes':
        return 'slice';
      case 'double':
        return 'float64';
      default:
        return kind;
    }
  }
}
