// Service admission: ClusterIP allocation from the service CIDR and NodePort allocation from the
// node port range. Each allocation is a key under /registry/ranges/ created atomically in storage,
// so two API servers sharing one datastore can never hand out the same address or port.
import { ApiError, type FieldError, type ResourceInfo } from '../../api/index.js';
import { KeyExistsError, type StorageBackend } from '../../storage/backend.js';
import type { AdmissionPlugin, Undo } from '../registry/admission.js';
import type { ObjectMap } from '../watch-cache.js';
import { cidrContains, nthAddress, type Ipv4Cidr } from '../../net/index.js';

export interface ServiceAllocationOptions {
  readonly serviceCidr: Ipv4Cidr;
  readonly nodePortRange: { readonly min: number; readonly max: number };
}

const ipKey = (ip: string) => `/registry/ranges/serviceips/${ip}`;
const portKey = (port: number) => `/registry/ranges/servicenodeports/${port}`;

function rec(v: unknown): ObjectMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as ObjectMap) : {};
}

/** A service port's identity across updates: number and protocol. */
function portId(p: ObjectMap): string {
  return `${typeof p.port === 'number' ? p.port : 0}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`;
}

function invalid(name: string, errors: FieldError[]): ApiError {
  return ApiError.invalid({ group: '', kind: 'Service' }, name, errors);
}

export class ServiceAllocation implements AdmissionPlugin {
  readonly name = 'ServiceAllocation';

  constructor(
    private readonly backend: StorageBackend,
    private readonly options: ServiceAllocationOptions,
  ) {}

  handles(r: ResourceInfo): boolean {
    return r.group === '' && r.resource === 'services';
  }

  /** Takes a specific address for a system service (the `kubernetes` service at .1). */
  async reserveIp(ip: string): Promise<boolean> {
    return this.claim(ipKey(ip));
  }

  async create(_ctx: unknown, obj: ObjectMap): Promise<Undo | undefined> {
    const undos: Undo[] = [];
    try {
      await this.allocate(obj, undefined, undos);
    } catch (err) {
      for (const u of undos) await u();
      throw err;
    }
    return async () => {
      for (const u of undos) await u();
    };
  }

  async update(_ctx: unknown, obj: ObjectMap, old: Readonly<ObjectMap>): Promise<Undo | undefined> {
    const undos: Undo[] = [];
    try {
      await this.allocate(obj, old, undos);
    } catch (err) {
      for (const u of undos) await u();
      throw err;
    }
    return async () => {
      for (const u of undos) await u();
    };
  }

  async deleted(obj: Readonly<ObjectMap>): Promise<void> {
    const spec = rec(obj.spec);
    const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : typeof spec.clusterIP === 'string' ? [spec.clusterIP] : [];
    for (const ip of ips) if (ip && ip !== 'None') await this.release(ipKey(ip));
    for (const port of Array.isArray(spec.ports) ? (spec.ports as ObjectMap[]) : []) {
      if (typeof port.nodePort === 'number') await this.release(portKey(port.nodePort));
    }
  }

  private async allocate(obj: ObjectMap, old: Readonly<ObjectMap> | undefined, undos: Undo[]): Promise<void> {
    const spec = rec(obj.spec);
    obj.spec = spec;
    const metaName = rec(obj.metadata).name;
    const name = typeof metaName === 'string' ? metaName : '';
    const type = spec.type ?? 'ClusterIP';
    const oldSpec = old ? rec(old.spec) : undefined;
    if (type === 'ExternalName') return;
    const oldIp = typeof oldSpec?.clusterIP === 'string' && oldSpec.clusterIP ? oldSpec.clusterIP : undefined;
    if (oldIp && (spec.clusterIP === undefined || spec.clusterIP === '' || spec.clusterIP === oldIp)) {
      spec.clusterIP = oldIp;
      spec.clusterIPs = oldSpec?.clusterIPs ?? [oldIp];
    } else {
      const firstIp: unknown = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as unknown[])[0] : undefined;
      const requested = typeof spec.clusterIP === 'string' ? spec.clusterIP : typeof firstIp === 'string' ? firstIp : '';
      if (requested === 'None') {
        spec.clusterIPs = ['None'];
      } else if (requested) {
        const cidr = this.options.serviceCidr;
        if (!cidrContains(cidr, requested)) {
          throw invalid(name, [
            {
              type: 'FieldValueInvalid',
              field: 'spec.clusterIPs',
              badValue: [requested],
              detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr.text}`,
            },
          ]);
        }
        if (!(await this.claim(ipKey(requested)))) {
          throw invalid(name, [
            {
              type: 'FieldValueInvalid',
              field: 'spec.clusterIPs',
              badValue: [requested],
              detail: `failed to allocate IP ${requested}: provided IP is already allocated`,
            },
          ]);
        }
        undos.push(() => this.release(ipKey(requested)));
        spec.clusterIP = requested;
        spec.clusterIPs = [requested];
      } else {
        const ip = await this.allocateIp();
        undos.push(() => this.release(ipKey(ip)));
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }
    if (type !== 'NodePort' && type !== 'LoadBalancer') return;
    const oldPorts = new Map<string, number>();
    for (const p of Array.isArray(oldSpec?.ports) ? (oldSpec.ports as ObjectMap[]) : []) {
      if (typeof p.nodePort === 'number') oldPorts.set(portId(p), p.nodePort);
    }
    const held = new Set(oldPorts.values());
    const ports = Array.isArray(spec.ports) ? (spec.ports as ObjectMap[]) : [];
    const requested = (port: ObjectMap) => typeof port.nodePort === 'number' && port.nodePort !== 0;
    // Ports asked for by number are claimed first, so a port picked at random cannot take one of them.
    const order = [...ports.keys()].sort((a, b) => Number(requested(ports[b]!)) - Number(requested(ports[a]!)));
    for (const i of order) {
      const port = ports[i]!;
      if (typeof port.nodePort === 'number' && port.nodePort !== 0) {
        if (held.has(port.nodePort)) continue;
        const { min, max } = this.options.nodePortRange;
        if (port.nodePort < min || port.nodePort > max) {
          throw invalid(name, [
            {
              type: 'FieldValueInvalid',
              field: `spec.ports[${i}].nodePort`,
              badValue: port.nodePort,
              detail: `provided port is not in the valid range. The range of valid ports is ${min}-${max}`,
            },
          ]);
        }
        const n = port.nodePort;
        if (!(await this.claim(portKey(n)))) {
          throw invalid(name, [{ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: n, detail: 'provided port is already allocated' }]);
        }
        undos.push(() => this.release(portKey(n)));
      } else {
        const reuse = oldPorts.get(portId(port));
        if (reuse !== undefined) {
          port.nodePort = reuse;
          continue;
        }
        const n = await this.allocatePort();
        undos.push(() => this.release(portKey(n)));
        port.nodePort = n;
      }
    }
  }

  private async allocateIp(): Promise<string> {
    const cidr = this.options.serviceCidr;
    const usable = cidr.size - 2;
    const start = 1 + Math.floor(Math.random() * usable);
    for (let i = 0; i < usable; i++) {
      const n = 1 + ((start - 1 + i) % usable);
      const ip = nthAddress(cidr, n);
      if (n === 1 || n === 10) continue; // .1 is the kubernetes service, .10 the cluster DNS
      if (await this.claim(ipKey(ip))) return ip;
    }
    throw ApiError.internal('failed to allocate a serviceIP: range is full');
  }

  private async allocatePort(): Promise<number> {
    const { min, max } = this.options.nodePortRange;
    const count = max - min + 1;
    const start = Math.floor(Math.random() * count);
    for (let i = 0; i < count; i++) {
      const port = min + ((start + i) % count);
      if (await this.claim(portKey(port))) return port;
    }
    throw ApiError.internal('failed to allocate a nodePort: range is full');
  }

  private async claim(key: string): Promise<boolean> {
    try {
      await this.backend.create(key, '{}');
      return true;
    } catch (err) {
      if (err instanceof KeyExistsError) return false;
      throw err;
    }
  }

  private async release(key: string): Promise<void> {
    try {
      await this.backend.delete(key);
    } catch {
      // Already released.
    }
  }
}
