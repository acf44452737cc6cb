// The word Go's encoding/json uses for a JSON value in "cannot unmarshal <word> into Go ...":
// shared by the typed decoder and the patch decoders so both word type errors as kube does.

export function goJsonWord(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return 'number';
  }
}
