// Unit tests of the IPv4 CIDR helpers behind service and cluster address ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, intToIp, ipToInt, nthAddress, parseCidr } from './cidr.js';

test('ipToInt and intToIp round-trip dotted quads and reject malformed ones', () => {
  assert.equal(ipToInt('0.0.0.0'), 0);
  assert.equal(ipToInt('10.96.0.1'), 0x0a600001);
  assert.equal(ipToInt('255.255.255.255'), 0xffffffff);
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '', ' 1.2.3.4', '1.2.3.4/8', '1234.1.1.1']) assert.equal(ipToInt(bad), undefined, bad);
  for (const ip of ['0.0.0.0', '10.96.0.1', '192.168.255.254', '255.255.255.255']) assert.equal(intToIp(ipToInt(ip)!), ip);
});

test('parseCidr masks the base to the prefix and refuses what the server cannot use', () => {
  assert.deepEqual(parseCidr('10.96.0.0/12'), { base: 0x0a600000, bits: 12, size: 2 ** 20, text: '10.96.0.0/12' });
  // Host bits are cleared, as net.ParseCIDR does for the network.
  assert.equal(parseCidr('10.100.3.4/12').text, '10.96.0.0/12');
  assert.equal(parseCidr('192.168.1.77/30').text, '192.168.1.76/30');
  for (const bad of ['10.96.0.0', '10.96.0.0/7', '10.96.0.0/31', '10.96.0.0/x', '10.96.0/12', '300.0.0.0/12', '10.96.0.0/12/1']) {
    assert.throws(
      () => parseCidr(bad),
      { message: `invalid IPv4 CIDR ${JSON.stringify(bad)}: expected a form like 10.96.0.0/12 with a prefix between /8 and /30` },
      bad,
    );
  }
});

test('cidrContains and nthAddress respect the range edges', () => {
  const c = parseCidr('10.96.0.0/12');
  assert.equal(cidrContains(c, '10.96.0.0'), true);
  assert.equal(cidrContains(c, '10.111.255.255'), true);
  assert.equal(cidrContains(c, '10.112.0.0'), false);
  assert.equal(cidrContains(c, '10.95.255.255'), false);
  assert.equal(cidrContains(c, 'nonsense'), false);
  assert.equal(nthAddress(c, 1), '10.96.0.1');
  assert.equal(nthAddress(c, 10), '10.96.0.10');
  assert.equal(nthAddress(c, 256), '10.96.1.0');
  // The upper half of the address space stays unsigned.
  assert.equal(nthAddress(parseCidr('192.168.0.0/16'), 65534), '192.168.255.254');
});
