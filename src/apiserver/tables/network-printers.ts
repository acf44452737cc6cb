// Tables for services and traffic routing: services, endpoints, endpoint slices, ingresses,
// ingress classes and network policies.
import { ageColumn, column, nameColumn, wide, type TablePrinter } from './columns.js';
import {
  at,
  formatLabels,
  int,
  formatLabelSelector,
  list,
  loadBalancerAddresses,
  optStr,
  records,
  str,
  type Obj,
  objectAge as age,
  objectName as name,
} from './object-fields.js';

/** Joins the first three entries and says how many more there are, as kube's list cells do. */
function firstThree(items: readonly string[], total: number, emptyText: string): string {
  const shown = items.slice(0, 3).join(',');
  if (total > 3) return `${shown} + ${total - 3} more...`;
  return shown === '' ? emptyText : shown;
}

function serviceExternalIP(svc: Obj): string {
  const externalIPs = list(svc, 'spec.externalIPs').filter((v): v is string => typeof v === 'string');
  switch (str(svc, 'spec.type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(records(svc, 'status.loadBalancer.ingress'));
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(svc, 'spec.externalName');
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Obj): string {
  const text = records(svc, 'spec.ports')
    .map((p) => {
      const nodePort = typeof p['nodePort'] === 'number' ? p['nodePort'] : 0;
      const port = typeof p['port'] === 'number' ? p['port'] : 0;
      return nodePort > 0 ? `${port}:${nodePort}/${str(p, 'protocol')}` : `${port}/${str(p, 'protocol')}`;
    })
    .join(',');
  return text || '<none>';
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'How the service is exposed.'),
    column('Cluster-IP', 'string', 'The virtual IP inside the cluster.'),
    column('External-IP', 'string', 'Addresses reachable from outside the cluster.'),
    column('Port(s)', 'string', 'Service ports, with node ports where allocated.'),
    ageColumn,
    wide('Selector', 'string', 'Labels of the pods that back the service.'),
  ],
  row: (o, now) => {
    const clusterIPs = list(o, 'spec.clusterIPs');
    const clusterIP = (typeof clusterIPs[0] === 'string' ? clusterIPs[0] : str(o, 'spec.clusterIP')) || '<none>';
    return [name(o), str(o, 'spec.type'), clusterIP, serviceExternalIP(o), servicePorts(o), age(o, now), formatLabels(at(o, 'spec.selector'))];
  },
};

/** `ip:port` pairs across subsets, or bare IPs for port-less (headless) subsets. */
function formatEndpoints(o: Obj): string {
  const subsets = records(o, 'subsets');
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let total = 0;
  for (const subset of subsets) {
    const addresses = records(subset, 'addresses').map((a) => str(a, 'ip'));
    const ports = records(subset, 'ports');
    if (ports.length === 0) {
      total += addresses.length;
      for (const ip of addresses) if (shown.length < 3) shown.push(ip);
      continue;
    }
    for (const port of ports) {
      total += addresses.length;
      const number = int(port, 'port');
      for (const ip of addresses) {
        if (shown.length < 3) shown.push(ip.includes(':') ? `[${ip}]:${number}` : `${ip}:${number}`);
      }
    }
  }
  const joined = shown.join(',');
  return total > 3 ? `${joined} + ${total - 3} more...` : joined;
}

export const endpointsPrinter: TablePrinter = {
  columns: [nameColumn, column('Endpoints', 'string', 'Addresses and ports that serve the service.'), ageColumn],
  row: (o, now) => [name(o), formatEndpoints(o), age(o, now)],
};

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'The kind of address the slice holds.'),
    column('Ports', 'string', 'Ports every endpoint in the slice serves.'),
    column('Endpoints', 'string', 'Endpoint addresses in the slice.'),
    ageColumn,
  ],
  row: (o, now) => {
    const ports = records(o, 'ports').map((p) => (typeof p['port'] === 'number' ? String(p['port']) : (optStr(p, 'name') ?? '*')));
    const addresses = records(o, 'endpoints').flatMap((e) => list(e, 'addresses').filter((a): a is string => typeof a === 'string'));
    return [name(o), str(o, 'addressType'), firstThree(ports, ports.length, '<unset>'), firstThree(addresses, addresses.length, '<unset>'), age(o, now)];
  },
};

function ingressHosts(o: Obj): string {
  const rules = records(o, 'spec.rules');
  const hosts: string[] = [];
  let more = false;
  // Up to three hosts are shown; rules without a host are skipped but still counted in "more".
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && str(rule, 'host') !== '') hosts.push(str(rule, 'host'));
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Host names the rules match.'),
    column('Address', 'string', 'Load balancer addresses serving the ingress.'),
    column('Ports', 'string', 'Ports the ingress listens on.'),
    ageColumn,
  ],
  row: (o, now) => [
    name(o),
    optStr(o, 'spec.ingressClassName') ?? '<none>',
    ingressHosts(o),
    loadBalancerAddresses(records(o, 'status.loadBalancer.ingress')),
    records(o, 'spec.tls').length ? '80, 443' : '80',
    age(o, now),
  ],
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'The controller that implements this class.'),
    column('Parameters', 'string', 'The resource holding extra settings for the class.'),
    ageColumn,
  ],
  row: (o, now) => {
    const params = at(o, 'spec.parameters');
    let text = '<none>';
    if (typeof params === 'object' && params !== null) {
      const group = optStr(params, 'apiGroup');
      text = `${str(params, 'kind')}${group !== undefined ? `.${group}` : ''}/${str(params, 'name')}`;
    }
    return [name(o), str(o, 'spec.controller'), text, age(o, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn, column('Pod-Selector', 'string', 'The pods this policy applies to.'), ageColumn],
  // podSelector is a struct, not a pointer, in kube: missing means empty, which selects every pod.
  row: (o, now) => [name(o), formatLabelSelector(at(o, 'spec.podSelector') ?? {}), age(o, now)],
};
