// Tables for custom resources, built from a CRD version's additionalPrinterColumns the way the
// apiextensions server does: Name, then one column per JSONPath (Age when none are declared).
import { column, nameColumn, type ColumnDefinition, type TablePrinter } from './columns.js';
import { ageSince, parseTimestamp } from './human-duration.js';
import { objectName, type Obj } from './object-fields.js';
import { isRecord } from '../../lang/index.js';

/** One entry of a CRD version's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const defaultColumns: readonly PrinterColumn[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since the object was created.' },
];

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: string[]; value: string };

/** Parses the simple JSONPath subset CRD columns use: `.a.b`, `[0]`, `['k']`, `[*]`, `[?(@.x=="y")]`. */
export function parseColumnPath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = path.startsWith('{') && path.endsWith('}') ? 1 : 0;
  const end = i === 1 ? path.length - 1 : path.length;
  if (path[i] === '$') i++;
  while (i < end) {
    const c = path[i];
    if (c === '.') {
      let name = '';
      i++;
      while (i < end && path[i] !== '.' && path[i] !== '[') {
        // A backslash keeps a dot inside a key, as in label names like app\.kubernetes\.io/name.
        if (path[i] === '\\' && i + 1 < end) i++;
        name += path[i++];
      }
      if (name === '') return undefined;
      steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0 || close > end) return undefined;
      const inner = path.slice(i + 1, close).trim();
      i = close + 1;
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      const filter = /^\?\(@((?:\.[^.=!<> ]+)+)\s*==\s*(['"])(.*)\2\)$/.exec(inner);
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (quoted) steps.push({ kind: 'field', name: quoted[2]! });
      else if (filter) steps.push({ kind: 'filter', path: filter[1]!.slice(1).split('.'), value: filter[3]! });
      else return undefined;
    } else {
      return undefined;
    }
  }
  return steps;
}

/** The first value the path finds, or undefined when it finds none. */
function firstResult(value: unknown, steps: readonly Step[]): unknown {
  const [step, ...rest] = steps;
  if (!step) return value;
  if (step.kind === 'field') return isRecord(value) && step.name in value ? firstResult(value[step.name], rest) : undefined;
  if (!Array.isArray(value)) return undefined;
  if (step.kind === 'index') {
    const item: unknown = value[step.index < 0 ? value.length + step.index : step.index];
    return item === undefined ? undefined : firstResult(item, rest);
  }
  for (const item of value) {
    if (step.kind === 'filter') {
      const probe = firstResult(
        item,
        step.path.map((name): Step => ({ kind: 'field', name })),
      );
      if (String(probe) !== step.value || probe === undefined) continue;
    }
    const found = firstResult(item, rest);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Converts a found value for a typed column, as the CRD table convertor does; null if it does not fit. */
function cellFor(type: string, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      // JSONPath printing: strings as they are, objects and arrays as JSON, scalars in plain text.
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return JSON.stringify(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      return parseTimestamp(value) ? ageSince(value, now) : '<invalid>';
    }
    default:
      return null;
  }
}

/** A printer for one CRD version; an empty column list gets the default Age column. */
export function customResourcePrinter(columns: readonly PrinterColumn[]): TablePrinter {
  const declared = columns.length ? columns : defaultColumns;
  const paths = declared.map((c) => parseColumnPath(c.jsonPath));
  const definitions: ColumnDefinition[] = [
    nameColumn,
    ...declared.map((c) =>
      column(c.name, c.type, c.description || `Custom resource column (JSONPath): ${c.jsonPath}`, { priority: c.priority ?? 0, format: c.format ?? '' }),
    ),
  ];
  return {
    columns: definitions,
    row: (o: Obj, now: Date) => [
      objectName(o),
      ...declared.map((c, i) => {
        const steps = paths[i];
        return steps ? cellFor(c.type, firstResult(o, steps), now) : null;
      }),
    ],
  };
}
