// Network primitives shared by the API server, the controllers, the simulator and, next, the
// agent, the proxy and DNS: IPv4 addresses and CIDR ranges.
export { cidrContains, intToIp, ipToInt, nthAddress, parseCidr, type Ipv4Cidr } from './cidr.js';
