// Strategies of rbac.authorization.k8s.io/v1: Roles and ClusterRoles (rule shape), RoleBindings
// and ClusterRoleBindings (subject kinds and defaults, roleRef that cannot change).

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, objItems, arrAt, strAt, setDefaultString } from './object-access.js';
import { defineStrategy, type Strategy } from './strategy.js';
import { nameIsPathSegment, isValidPathSegmentName, isDNS1123Label, isDNS1123Subdomain } from './name-validation.js';
import { validateLabelSelector } from './object-meta.js';
import { jsonEqual } from '../../lang/index.js';

const GROUP = 'rbac.authorization.k8s.io';

function validateRules(role: Readonly<Obj>, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const [rule, i] of objItems(role, 'rules')) {
    const p = FieldPath.root('rules').index(i);
    if (arrAt(rule, 'verbs').length === 0) errs.push(p.child('verbs').required('verbs must contain at least one value'));
    const urls = arrAt(rule, 'nonResourceURLs');
    const resources = arrAt(rule, 'resources');
    if (urls.length > 0) {
      if (namespaced) errs.push(p.child('nonResourceURLs').invalid(urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (arrAt(rule, 'apiGroups').length > 0 || resources.length > 0 || arrAt(rule, 'resourceNames').length > 0)
        errs.push(p.child('nonResourceURLs').invalid(urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      continue;
    }
    if (arrAt(rule, 'apiGroups').length === 0) errs.push(p.child('apiGroups').required('resource rules must supply at least one api group'));
    if (resources.length === 0) errs.push(p.child('resources').required('resource rules must supply at least one resource'));
  }
  return errs;
}

export const roleStrategy = defineStrategy({
  nameFn: nameIsPathSegment,
  validate: (r) => validateRules(r, true),
});

export const clusterRoleStrategy = defineStrategy({
  nameFn: nameIsPathSegment,
  validate(cr) {
    const errs = validateRules(cr, false);
    const aggregation = objAt(cr, 'aggregationRule');
    if (aggregation) {
      for (const [sel, i] of objItems(aggregation, 'clusterRoleSelectors'))
        errs.push(...validateLabelSelector(sel, FieldPath.root('aggregationRule').child('clusterRoleSelectors').index(i)));
    }
    return errs;
  },
});

function defaultSubjects(binding: Obj): void {
  const roleRef = objAt(binding, 'roleRef');
  if (roleRef) setDefaultString(roleRef, 'apiGroup', GROUP);
  for (const [subject] of objItems(binding, 'subjects')) {
    const kind = strAt(subject, 'kind');
    if (kind === 'User' || kind === 'Group') setDefaultString(subject, 'apiGroup', GROUP);
    else if (kind === 'ServiceAccount' && subject['apiGroup'] === undefined) subject['apiGroup'] = '';
  }
}

function validateSubjects(binding: Readonly<Obj>, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const [subject, i] of objItems(binding, 'subjects')) {
    const p = FieldPath.root('subjects').index(i);
    const name = strAt(subject, 'name');
    const kind = strAt(subject, 'kind');
    const apiGroup = strAt(subject, 'apiGroup');
    if (!name) errs.push(p.child('name').required());
    switch (kind) {
      case 'ServiceAccount':
        if (name) errs.push(...isDNS1123Subdomain(name).map((m) => p.child('name').invalid(name, m)));
        if (apiGroup) errs.push(p.child('apiGroup').notSupported(apiGroup, ['']));
        if (clusterScoped && !strAt(subject, 'namespace')) errs.push(p.child('namespace').required());
        else if (strAt(subject, 'namespace')) {
          const ns = strAt(subject, 'namespace');
          errs.push(...isDNS1123Label(ns).map((m) => p.child('namespace').invalid(ns, m)));
        }
        break;
      case 'User':
      case 'Group':
        if (apiGroup !== GROUP) errs.push(p.child('apiGroup').notSupported(apiGroup, [GROUP]));
        break;
      default:
        errs.push(p.child('kind').notSupported(kind, ['ServiceAccount', 'User', 'Group']));
    }
  }
  return errs;
}

function validateRoleRef(binding: Readonly<Obj>, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = objAt(binding, 'roleRef') ?? {};
  const p = FieldPath.root('roleRef');
  if (strAt(roleRef, 'apiGroup') !== GROUP) errs.push(p.child('apiGroup').notSupported(strAt(roleRef, 'apiGroup'), [GROUP]));
  const kind = strAt(roleRef, 'kind');
  if (!kinds.includes(kind)) errs.push(p.child('kind').notSupported(kind, kinds));
  const name = strAt(roleRef, 'name');
  if (!name) errs.push(p.child('name').required());
  else errs.push(...isValidPathSegmentName(name).map((m) => p.child('name').invalid(name, m)));
  return errs;
}

function bindingStrategy(kinds: readonly string[], clusterScoped: boolean): Strategy {
  const validate = (b: Readonly<Obj>) => [...validateRoleRef(b, kinds), ...validateSubjects(b, clusterScoped)];
  return defineStrategy({
    nameFn: nameIsPathSegment,
    defaults: defaultSubjects,
    validate,
    validateUpdate(b, old) {
      const errs = validate(b);
      if (!jsonEqual(b['roleRef'], old['roleRef'])) errs.push(FieldPath.root('roleRef').invalid(b['roleRef'], 'cannot change roleRef'));
      return errs;
    },
  });
}

export const roleBindingStrategy = bindingStrategy(['Role', 'ClusterRole'], false);
export const clusterRoleBindingStrategy = bindingStrategy(['ClusterRole'], true);
