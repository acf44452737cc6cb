// The add-ons `skiff server --disable NAME` switches off, under k3s's names and skiff's own.
// None is built yet: DNS, ingress, the registry and the dashboard join the server's component
// list as they arrive, each left out when --disable names it. k3s's add-ons that skiff will not
// have are accepted, so that a k3s command line still starts a server, and disable nothing.
import { CliError } from '../cli-error.js';

/** Skiff's add-ons by name, with the k3s name that means the same piece. */
const addOns: readonly { readonly name: string; readonly k3sName?: string }[] = [
  { name: 'dns', k3sName: 'coredns' },
  { name: 'ingress', k3sName: 'traefik' },
  { name: 'registry' },
  { name: 'dashboard' },
];

/** k3s add-ons with no counterpart in skiff. */
const k3sOnly: readonly string[] = ['servicelb', 'local-storage', 'metrics-server'];

const addOnNames: readonly string[] = [...addOns.flatMap((a) => (a.k3sName ? [a.name, a.k3sName] : [a.name])), ...k3sOnly].sort();

/** The skiff names of the add-ons the --disable values name (each a name or a comma-separated list). */
export function parseDisabledAddOns(values: readonly string[]): ReadonlySet<string> {
  const disabled = new Set<string>();
  for (const name of values.flatMap((v) => v.split(',')).map((n) => n.trim())) {
    if (name === '' || k3sOnly.includes(name)) continue;
    const addOn = addOns.find((a) => a.name === name || a.k3sName === name);
    if (!addOn)
      throw new CliError(`--disable: unknown add-on ${JSON.stringify(name)} (valid: ${addOnNames.join(', ')})`, 'for example --disable traefik,coredns');
    disabled.add(addOn.name);
  }
  return disabled;
}
