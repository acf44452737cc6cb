// Server-side Tables: the columns and cells kube-apiserver returns to `kubectl get` for each
// served kind, and the Table object itself. Other folders import tables only through this entry.
export { buildTable, tableColumns, tableRow, type BuildTableOptions, type IncludeObject, type TableListMeta } from './table.js';
export type { ColumnDefinition, TableRowCondition } from './columns.js';
export type { PrinterColumn } from './custom-resource-printer.js';
export { humanDuration } from './human-duration.js';
