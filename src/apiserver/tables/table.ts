// Builds the meta.k8s.io/v1 Table kube-apiserver returns for `Accept: ...;as=Table`, with the
// row object shaped by includeObject (PartialObjectMetadata by default, whole object, or none).
import type { ColumnDefinition, TablePrinter, TableRowCondition } from './columns.js';
import { customResourcePrinter, type PrinterColumn } from './custom-resource-printer.js';
import { defaultPrinter, printerFor } from './printers.js';
import { type Obj } from './object-fields.js';
import { isRecord } from '../../lang/index.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface BuildTableOptions {
  includeObject: IncludeObject;
  now: Date;
  listMeta: TableListMeta;
  /** Watch events after the first leave the column definitions out (TableOptions.NoHeaders). */
  omitColumns?: boolean;
  /** For custom resources: the CRD version's additionalPrinterColumns ([] for the default Age). */
  customColumns?: readonly PrinterColumn[];
}

function choosePrinter(group: string, resource: string, customColumns: readonly PrinterColumn[] | undefined): TablePrinter {
  return customColumns ? customResourcePrinter(customColumns) : printerFor(group, resource);
}

interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object: unknown;
}

/** The column definitions for a resource, wide ones (priority 1) included, as the server sends. */
export function tableColumns(group: string, resource: string, customColumns?: readonly PrinterColumn[]): ColumnDefinition[] {
  return choosePrinter(group, resource, customColumns).columns.map((c) => ({ ...c }));
}

/** The cells of one object's row, every column's value in column order. */
export function tableRow(
  group: string,
  resource: string,
  object: Readonly<Record<string, unknown>>,
  now: Date,
  customColumns?: readonly PrinterColumn[],
): unknown[] {
  return choosePrinter(group, resource, customColumns).row(object, now);
}

function rowObject(object: Obj, include: IncludeObject): unknown {
  switch (include) {
    case 'Object':
      return object;
    case 'None':
      // kube clears the embedded object, which its JSON encoder writes as null.
      return null;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: isRecord(object['metadata']) ? object['metadata'] : {} };
  }
}

export function buildTable(
  group: string,
  resource: string,
  objects: readonly Readonly<Record<string, unknown>>[],
  options: BuildTableOptions,
): Record<string, unknown> {
  const printer = choosePrinter(group, resource, options.customColumns);
  const ordered = printer.order ? printer.order(objects) : objects;
  const rows: TableRow[] = ordered.map((object) => {
    const conditions = printer.conditions?.(object);
    return {
      cells: printer.row(object, options.now),
      ...(conditions ? { conditions } : {}),
      object: rowObject(object, options.includeObject),
    };
  });
  const metadata: Record<string, unknown> = {};
  const { resourceVersion, continue: continueToken, remainingItemCount } = options.listMeta;
  if (resourceVersion) metadata['resourceVersion'] = resourceVersion;
  if (continueToken) metadata['continue'] = continueToken;
  if (remainingItemCount !== undefined) metadata['remainingItemCount'] = remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.omitColumns ? null : printer.columns.map((c) => ({ ...c })),
    // The default convertor appends to a nil slice, so an empty result there encodes as null.
    rows: rows.length === 0 && printer === defaultPrinter ? null : rows,
  };
}
