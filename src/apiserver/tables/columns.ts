// The shape of meta.k8s.io/v1 Table columns and rows, and the column helpers every printer uses.
// Descriptions are Skiff's own short wording; names, types, formats and priorities match kube.
import type { Obj } from './object-fields.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  /** 0 is shown by default; 1 only with `-o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: 'Completed';
  status: 'True';
  reason: string;
  message: string;
}

/** Columns and cells for one resource, as a kube printer handler provides them. */
export interface TablePrinter {
  readonly columns: readonly ColumnDefinition[];
  row(object: Obj, now: Date): unknown[];
  conditions?(object: Obj): TableRowCondition[] | undefined;
  /** Rows come out in this order when kube's list printer sorts (flow schemas do). */
  order?(objects: readonly Obj[]): readonly Obj[];
}

export function column(name: string, type: string, description: string, options: { priority?: number; format?: string } = {}): ColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** A column only `-o wide` shows. */
export const wide = (name: string, type: string, description: string): ColumnDefinition => column(name, type, description, { priority: 1 });

export const nameColumn: ColumnDefinition = column('Name', 'string', 'The object name, unique within its namespace (or the cluster).', { format: 'name' });
export const ageColumn: ColumnDefinition = column('Age', 'string', 'Time since the object was created.');
export const containersColumn: ColumnDefinition = wide('Containers', 'string', 'Container names in the pod template.');
export const imagesColumn: ColumnDefinition = wide('Images', 'string', 'Container images in the pod template.');
export const selectorColumn: ColumnDefinition = wide('Selector', 'string', 'Label query that picks the managed pods.');
