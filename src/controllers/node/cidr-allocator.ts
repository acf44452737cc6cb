// The node IPAM's bookkeeping: the cluster CIDR cut into equal node subnets (/24 by default), a
// bitmap of the taken ones, and a next-fit cursor so a freed subnet is not handed out again at once.
import { intToIp, ipToInt, parseCidr, type Ipv4Cidr } from '../../net/index.js';

export class CidrAllocator {
  private readonly cluster: Ipv4Cidr;
  private readonly subnetSize: number;
  private readonly taken: Uint8Array;
  private used = 0;
  private cursor = 0;

  constructor(
    clusterCidr: string,
    readonly maskSize: number,
    reserved: readonly string[] = [],
  ) {
    this.cluster = parseCidr(clusterCidr);
    if (!Number.isInteger(maskSize) || maskSize < this.cluster.bits || maskSize > 30)
      throw new Error(`node CIDR mask size ${maskSize} must be between the cluster CIDR's /${this.cluster.bits} and /30`);
    this.subnetSize = 2 ** (32 - maskSize);
    this.taken = new Uint8Array(this.cluster.size / this.subnetSize);
    // Subnets overlapping another range (the service CIDR) are never handed out.
    for (const text of reserved) {
      const r = parseCidr(text);
      const from = Math.max(r.base, this.cluster.base);
      const to = Math.min(r.base + r.size, this.cluster.base + this.cluster.size);
      for (let a = from; a < to; a += this.subnetSize) this.mark(Math.floor((a - this.cluster.base) / this.subnetSize));
    }
  }

  get capacity(): number {
    return this.taken.length;
  }

  get allocated(): number {
    return this.used;
  }

  /** Marks a subnet some node already has; false when it is not one of this allocator's subnets. */
  occupy(cidr: string): boolean {
    const index = this.indexOf(cidr);
    if (index === undefined) return false;
    this.mark(index);
    return true;
  }

  /** The next free subnet, or undefined when the cluster CIDR is full. */
  allocate(): string | undefined {
    for (let i = 0; i < this.taken.length; i++) {
      const index = (this.cursor + i) % this.taken.length;
      if (!this.taken[index]) {
        this.mark(index);
        this.cursor = (index + 1) % this.taken.length;
        return `${intToIp(this.cluster.base + index * this.subnetSize)}/${this.maskSize}`;
      }
    }
    return undefined;
  }

  release(cidr: string): void {
    const index = this.indexOf(cidr);
    if (index === undefined || !this.taken[index]) return;
    this.taken[index] = 0;
    this.used--;
  }

  private mark(index: number): void {
    if (this.taken[index]) return;
    this.taken[index] = 1;
    this.used++;
  }

  private indexOf(cidr: string): number | undefined {
    const [ip = '', bits = ''] = cidr.split('/');
    const addr = ipToInt(ip);
    if (addr === undefined || Number(bits) !== this.maskSize) return undefined;
    const offset = addr - this.cluster.base;
    if (offset < 0 || offset >= this.cluster.size || offset % this.subnetSize !== 0) return undefined;
    return offset / this.subnetSize;
  }
}
