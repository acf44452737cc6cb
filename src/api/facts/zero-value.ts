// The JSON Go writes for the zero value of a scalar field type: what a non-pointer field holds
// when nothing set it. Codecs fill absent fields with it; OpenAPI publishes it as the default.
import type { FieldType, SpecialType } from './types.js';

/** '' / false / 0 for scalars; undefined for lists, maps, bytes and refs, whose zero depends on more. */
export function scalarZeroValue(type: FieldType): string | number | boolean | undefined {
  switch (type.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'double':
      return 0;
    default:
      return undefined;
  }
}

/** The JSON Go writes for the zero value of a special type: Quantity "0", IntOrString 0, Duration "0s"; null for the rest (zero Time, raw JSON). */
export function specialZeroValue(special: SpecialType): string | number | null {
  switch (special) {
    case 'quantity':
      return '0';
    case 'int-or-string':
      return 0;
    case 'duration':
      return '0s';
    default:
      return null;
  }
}
