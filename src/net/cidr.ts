// IPv4 address and CIDR arithmetic: the service and cluster ranges, node pod CIDRs, pod IPs.

export interface Ipv4Cidr {
  readonly base: number;
  readonly bits: number;
  readonly size: number;
  readonly text: string;
}

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Ipv4Cidr {
  const parts = text.split('/');
  const [ip = '', bitsText = ''] = parts.length === 2 ? parts : [];
  const addr = ipToInt(ip);
  const bits = Number(bitsText);
  if (addr === undefined || !/^\d+$/.test(bitsText) || bits < 8 || bits > 30)
    throw new Error(`invalid IPv4 CIDR ${JSON.stringify(text)}: expected a form like 10.96.0.0/12 with a prefix between /8 and /30`);
  const size = 2 ** (32 - bits);
  const base = Math.floor(addr / size) * size;
  return { base, bits, size, text: `${intToIp(base)}/${bits}` };
}

export function cidrContains(c: Ipv4Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n >= c.base && n < c.base + c.size;
}

/** The n-th address of the range (1 is the first usable one). */
export function nthAddress(c: Ipv4Cidr, n: number): string {
  return intToIp(c.base + n);
}
