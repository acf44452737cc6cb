// A small reader for the Go sources of kubernetes/api and apimachinery: struct declarations, named
// types, string constants (enum values), imports and `+marker` comments. It understands the regular
// layout those generated-API packages keep to, not Go in general.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type MarkerValue = string | true | readonly string[];
export type Markers = Readonly<Record<string, MarkerValue>>;

export interface GoField {
  /** Go field name; for embedded fields, the type's name. */
  readonly name: string;
  readonly embedded: boolean;
  /** Go type expression as written, e.g. `*metav1.Time`, `[]Container`, `map[string]string`. */
  readonly type: string;
  /** Struct tags by key (json, protobuf, patchStrategy, ...). */
  readonly tags: Readonly<Record<string, string>>;
  readonly markers: Markers;
}

export interface GoStruct {
  readonly name: string;
  readonly fields: readonly GoField[];
  readonly markers: Markers;
  /** Lines this reader could not take as fields (helper structs outside the API); using the struct is an error. */
  readonly unparsed: readonly string[];
}

export interface GoNamedType {
  readonly name: string;
  readonly underlying: string;
  readonly markers: Markers;
}

export interface GoPackage {
  readonly path: string;
  readonly groupName: string | undefined;
  readonly imports: ReadonlyMap<string, string>;
  readonly structs: ReadonlyMap<string, GoStruct>;
  readonly namedTypes: ReadonlyMap<string, GoNamedType>;
  /** String constant values by their declared type name. */
  readonly constants: ReadonlyMap<string, readonly string[]>;
  /** Types that have an OpenAPI model name (zz_generated.model_name.go), empty when the file is absent. */
  readonly modelNames: ReadonlySet<string>;
  /** Message names declared in generated.proto. */
  readonly protoMessages: ReadonlySet<string>;
}

export function parseGoPackage(path: string, dir: string): GoPackage {
  const imports = new Map<string, string>();
  const structs = new Map<string, GoStruct>();
  const namedTypes = new Map<string, GoNamedType>();
  const constants = new Map<string, string[]>();
  let groupName: string | undefined;
  const files = readdirSync(dir).filter(
    (f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && f !== 'generated.pb.go' && !f.includes('swagger_doc'),
  );
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');
    const group = /^\/\/ \+groupName=(.*)$/m.exec(source);
    if (group && file === 'doc.go') groupName = group[1]!.trim();
    const constGroup = /^const GroupName = "([^"]*)"/m.exec(source);
    if (constGroup && groupName === undefined) groupName = constGroup[1]!;
    parseFile(source, imports, structs, namedTypes, constants);
  }
  const modelNames = new Set<string>();
  const modelFile = join(dir, 'zz_generated.model_name.go');
  if (existsSync(modelFile)) {
    for (const m of readFileSync(modelFile, 'utf8').matchAll(/^func \(in (\w+)\) OpenAPIModelName\(\)/gm)) modelNames.add(m[1]!);
  }
  const protoMessages = new Set<string>();
  const protoFile = join(dir, 'generated.proto');
  if (existsSync(protoFile)) {
    for (const m of readFileSync(protoFile, 'utf8').matchAll(/^message (\w+) \{/gm)) protoMessages.add(m[1]!);
  }
  return { path, groupName, imports, structs, namedTypes, constants, modelNames, protoMessages };
}

function parseFile(
  source: string,
  imports: Map<string, string>,
  structs: Map<string, GoStruct>,
  namedTypes: Map<string, GoNamedType>,
  constants: Map<string, string[]>,
): void {
  const lines = withoutBlockComments(source.split('\n'));
  let comments: string[] = [];
  let inImports = false;
  let inConsts = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.startsWith('//')) {
      comments.push(line);
      continue;
    }
    const markers = markersOf(comments);
    if (line === '') {
      // A blank line separates a type's markers from the ones above it only when no declaration follows.
      comments = comments.length > 0 && !inConsts ? comments : [];
      if (!inConsts) continue;
    } else {
      comments = [];
    }
    if (line === 'import (') {
      inImports = true;
      continue;
    }
    if (inImports) {
      if (line === ')') inImports = false;
      else addImport(line, imports);
      continue;
    }
    if (line.startsWith('import ')) {
      addImport(line.slice(7), imports);
      continue;
    }
    if (line === 'const (') {
      inConsts = true;
      continue;
    }
    if (inConsts) {
      if (line === ')') inConsts = false;
      else addConstant(line, constants);
      continue;
    }
    if (line.startsWith('const ')) {
      addConstant(line.slice(6), constants);
      continue;
    }
    const empty = /^type (\w+) struct\s*\{\s*\}$/.exec(line);
    if (empty) {
      structs.set(empty[1]!, { name: empty[1]!, fields: [], markers, unparsed: [] });
      continue;
    }
    const struct = /^type (\w+) struct \{$/.exec(line);
    if (struct) {
      const fields: GoField[] = [];
      const unparsed: string[] = [];
      let fieldComments: string[] = [];
      for (i++; i < lines.length; i++) {
        const inner = lines[i]!.trim();
        if (inner === '}') break;
        if (inner.startsWith('//')) {
          fieldComments.push(inner);
          continue;
        }
        if (inner === '') {
          fieldComments = [];
          continue;
        }
        const field = parseField(inner, markersOf(fieldComments));
        if (field) fields.push(field);
        else unparsed.push(inner);
        fieldComments = [];
      }
      structs.set(struct[1]!, { name: struct[1]!, fields, markers, unparsed });
      continue;
    }
    const named = /^type (\w+) (?:= )?(\S.*)$/.exec(line);
    if (named && !named[2]!.startsWith('interface') && !named[2]!.startsWith('func')) {
      namedTypes.set(named[1]!, { name: named[1]!, underlying: named[2]!.replace(/\s*\/\/.*$/, '').trim(), markers });
    }
  }
}

/** Blanks out block comments (licence headers, prose) that start a line; they never hold markers. */
function withoutBlockComments(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    if (!inBlock && line.trim().startsWith('/*')) inBlock = true;
    out.push(inBlock ? '' : line);
    if (inBlock && line.includes('*/')) inBlock = false;
  }
  return out;
}

function addImport(line: string, imports: Map<string, string>): void {
  const m = /^(?:(\w+)\s+)?"([^"]+)"/.exec(line);
  if (!m) return;
  const path = m[2]!;
  imports.set(m[1] ?? path.slice(path.lastIndexOf('/') + 1), path);
}

function addConstant(line: string, constants: Map<string, string[]>): void {
  const m = /^\w+\s+(\w+)\s*=\s*"([^"]*)"/.exec(line);
  if (!m) return;
  const list = constants.get(m[1]!) ?? [];
  if (!list.includes(m[2]!)) list.push(m[2]!);
  constants.set(m[1]!, list);
}

function parseField(line: string, markers: Markers): GoField | undefined {
  const withTags = /^(?:(\w+)\s+)?([^\s`]+)\s*(?:`([^`]*)`)?\s*(?:\/\/.*)?$/.exec(line);
  if (!withTags) return undefined;
  const [, name, type, tagText] = withTags;
  // Lines like `Foo, Bar string` do not occur in API types; refuse rather than misread them.
  if (type!.endsWith(',')) return undefined;
  const tags: Record<string, string> = {};
  for (const t of (tagText ?? '').matchAll(/(\w+):"([^"]*)"/g)) tags[t[1]!] = t[2]!;
  const embedded = name === undefined;
  return { name: name ?? type!.replace(/^\*/, '').replace(/^\w+\./, ''), embedded, type: type!, tags, markers };
}

/** `// +key=value` and `// +key` markers; repeated keys collect into a list. */
function markersOf(comments: readonly string[]): Markers {
  const out: Record<string, MarkerValue> = {};
  for (const c of comments) {
    const m = /^\/\/\s*\+([\w:.-]+)(?:=(.*))?$/.exec(c);
    if (!m) continue;
    const key = m[1]!;
    const value = m[2] === undefined ? true : m[2].trim();
    const prev = out[key];
    if (prev === undefined || value === true) out[key] = value;
    else out[key] = [...(typeof prev === 'string' ? [prev] : prev === true ? [] : prev), value];
  }
  return out;
}
