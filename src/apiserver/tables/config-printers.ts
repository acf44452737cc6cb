// Tables for configuration and access objects: config maps, secrets, service accounts,
// resource quotas, role bindings and cluster role bindings.
import { ageColumn, column, nameColumn, wide, type TablePrinter } from './columns.js';
import { count, quantity, rec, records, str, type Obj, objectAge as age, objectName as name } from './object-fields.js';

export const configMapPrinter: TablePrinter = {
  columns: [nameColumn, column('Data', 'string', 'Number of keys, text and binary.'), ageColumn],
  row: (o, now) => [name(o), count(o, 'data') + count(o, 'binaryData'), age(o, now)],
};

export const secretPrinter: TablePrinter = {
  columns: [nameColumn, column('Type', 'string', 'The secret type.'), column('Data', 'string', 'Number of keys.'), ageColumn],
  row: (o, now) => [name(o), str(o, 'type'), count(o, 'data'), age(o, now)],
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn, column('Secrets', 'string', 'Number of secrets listed on the account.'), ageColumn],
  row: (o, now) => [name(o), count(o, 'secrets'), age(o, now)],
};

/** `resource: used/hard` pairs, sorted, split into request-style and `limits.*` columns. */
function quotaColumns(o: Obj): [string, string] {
  const hard = rec(o, 'status.hard');
  const used = rec(o, 'status.used');
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split('.');
    const entry = `${resource}: ${quantity(used[resource])}/${quantity(hard[resource])}`;
    (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(entry);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Used and hard amounts of each non-limit resource.'),
    column('Limit', 'string', 'Used and hard amounts of each limits.* resource.'),
    ageColumn,
  ],
  row: (o, now) => [name(o), ...quotaColumns(o), age(o, now)],
};

/** Users, groups and `namespace/name` service accounts among a binding's subjects. */
function subjectCells(o: Obj): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const accounts: string[] = [];
  for (const s of records(o, 'subjects')) {
    const kind = str(s, 'kind');
    if (kind === 'ServiceAccount') accounts.push(`${str(s, 'namespace')}/${str(s, 'name')}`);
    else if (kind === 'User') users.push(str(s, 'name'));
    else if (kind === 'Group') groups.push(str(s, 'name'));
  }
  return [users.join(', '), groups.join(', '), accounts.join(', ')];
}

function bindingPrinter(subjectOwner: string): TablePrinter {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', 'The role the binding grants.'),
      ageColumn,
      wide('Users', 'string', `Users in the ${subjectOwner}.`),
      wide('Groups', 'string', `Groups in the ${subjectOwner}.`),
      wide('ServiceAccounts', 'string', `Service accounts in the ${subjectOwner}.`),
    ],
    row: (o, now) => [name(o), `${str(o, 'roleRef.kind')}/${str(o, 'roleRef.name')}`, age(o, now), ...subjectCells(o)],
  };
}

export const roleBindingPrinter: TablePrinter = bindingPrinter('role binding');
export const clusterRoleBindingPrinter: TablePrinter = bindingPrinter('cluster role binding');
