// Pod IPs of one simulated node, handed out from its podCIDR as a host-local IPAM plugin does:
// the first address is the bridge's, pods get the next free ones, and IPs come back on pod exit.
import { intToIp, ipToInt, parseCidr, type Ipv4Cidr } from '../net/index.js';

export class PodIpPool {
  private readonly cidr: Ipv4Cidr;
  private readonly used = new Map<number, string>();
  private next = 2;

  constructor(podCidr: string) {
    this.cidr = parseCidr(podCidr);
  }

  /** Marks an IP found on an existing pod as taken; answers false when it is outside the range. */
  claim(ip: string, podUid: string): boolean {
    const offset = this.offsetOf(ip);
    if (offset === undefined) return false;
    this.used.set(offset, podUid);
    return true;
  }

  /** The next free IP, or undefined when every address is taken. */
  allocate(podUid: string): string | undefined {
    const usable = this.cidr.size - 2;
    for (let tried = 0; tried < usable - 1; tried++) {
      const offset = this.next;
      this.next = this.next >= this.cidr.size - 2 ? 2 : this.next + 1;
      if (!this.used.has(offset)) {
        this.used.set(offset, podUid);
        return intToIp(this.cidr.base + offset);
      }
    }
    return undefined;
  }

  release(ip: string, podUid: string): void {
    const offset = this.offsetOf(ip);
    if (offset !== undefined && this.used.get(offset) === podUid) this.used.delete(offset);
  }

  get size(): number {
    return this.used.size;
  }

  private offsetOf(ip: string): number | undefined {
    const n = ipToInt(ip);
    if (n === undefined || n < this.cidr.base || n >= this.cidr.base + this.cidr.size) return undefined;
    return n - this.cidr.base;
  }
}
