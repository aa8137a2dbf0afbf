import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressVerdict, classifyAddress, isIpLiteral, type AddressCategory } from '../../src/servers/http/addressPolicy';
import { parseIp } from '../../src/servers/http/ipAddress';

function hex(text: string): string {
  const parsed = parseIp(text);
  assert.ok(parsed, `${text} should parse`);
  return Buffer.from(parsed.bytes).toString('hex');
}

describe('IP address parsing', () => {
  it('reads every RFC 4291 form of IPv6 into the same bytes', () => {
    assert.equal(hex('1:2:3:4:5:6:7:8'), '00010002000300040005000600070008');
    assert.equal(hex('1::8'), '00010000000000000000000000000008');
    assert.equal(hex('1::'), '00010000000000000000000000000000');
    assert.equal(hex('::'), '0'.repeat(32));
    assert.equal(hex('::1'), `${'0'.repeat(31)}1`);
    assert.equal(hex('[::1]'), hex('0:0:0:0:0:0:0:1'));
    assert.equal(hex('::ffff:1.2.3.4'), hex('::ffff:102:304'));
    assert.equal(hex('1:2:3:4:5:6:1.2.3.4'), '00010002000300040005000601020304');
    assert.equal(hex('FE80::ABCD'), hex('fe80::abcd'));
    assert.equal(hex('1:2:3:4:5:6:7::'), '00010002000300040005000600070000');
  });

  it('reads canonical IPv4 only', () => {
    assert.deepEqual(parseIp('192.168.0.1'), { version: 4, bytes: Uint8Array.from([192, 168, 0, 1]) });
    assert.deepEqual(parseIp('0.0.0.0')?.bytes, Uint8Array.from([0, 0, 0, 0]));
  });

  it('answers undefined for anything that is not a canonical address', () => {
    const notAddresses = [
      '', 'localhost', 'example.com', '0177.0.0.1', '0x7f.1', '0x7f.0.0.1', '127.1', '2130706433', '01.2.3.4', '256.1.1.1',
      '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', ':::', ':1::', '1:2:3:4:5:6:7::8', '12345::',
      'g::1', '1.2.3.4::', '::1.2.3', '::1.2.3.4:5', 'fe80::1%eth0', '[::1', '::1]',
    ];
    for (const text of notAddresses) assert.equal(parseIp(text), undefined, JSON.stringify(text));
  });
});

/** Address → the category it must get. */
const CORPUS: ReadonlyArray<readonly [string, AddressCategory]> = [
  // public
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['93.184.216.34', 'public'],
  ['11.0.0.0', 'public'],
  ['100.63.255.255', 'public'],
  ['100.128.0.0', 'public'],
  ['169.253.255.255', 'public'],
  ['169.255.0.0', 'public'],
  ['172.15.255.255', 'public'],
  ['172.32.0.0', 'public'],
  ['192.167.255.255', 'public'],
  ['192.169.0.0', 'public'],
  ['223.255.255.255', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['[2a00:1450:4001:80b::200e]', 'public'],
  ['64:ff9b::808:808', 'public'], // NAT64 of 8.8.8.8
  ['64:ff9b::8.8.8.8', 'public'],
  ['2002:808:808::1', 'public'], // 6to4 of 8.8.8.8
  // loopback
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['127.0.1.1', 'loopback'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['[::1]', 'loopback'],
  // private
  ['10.0.0.5', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  // cloud metadata
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['168.63.129.16', 'metadata'],
  ['fd00:ec2::254', 'metadata'],
  ['FD00:EC2:0:0:0:0:0:254', 'metadata'],
  // link-local
  ['169.254.0.1', 'link-local'],
  ['169.254.255.255', 'link-local'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  // shared (CGNAT)
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  // unspecified
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  // multicast, broadcast
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  // documentation, reserved
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['192.88.99.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['2001::1', 'reserved'], // Teredo
  ['2001:2::1', 'reserved'],
  ['100::1', 'reserved'],
  ['64:ff9b:1::1', 'reserved'],
  ['fec0::1', 'reserved'],
  ['5f00::1', 'reserved'],
  ['4000::1', 'reserved'],
  ['1::1', 'reserved'],
  // IPv4 carried in IPv6
  ['::ffff:127.0.0.1', 'ipv4-mapped'],
  ['::ffff:7f00:1', 'ipv4-mapped'],
  ['[::ffff:7f00:1]', 'ipv4-mapped'],
  ['::ffff:169.254.169.254', 'ipv4-mapped'],
  ['::ffff:10.0.0.1', 'ipv4-mapped'],
  ['::ffff:8.8.8.8', 'ipv4-mapped'],
  ['::127.0.0.1', 'ipv4-mapped'], // IPv4-compatible
  ['::7f00:1', 'ipv4-mapped'],
  ['::2', 'ipv4-mapped'],
  ['::ffff:0:a00:1', 'ipv4-mapped'], // IPv4-translated
  ['64:ff9b::7f00:1', 'ipv4-embedded'],
  ['64:ff9b::10.0.0.1', 'ipv4-embedded'],
  ['64:ff9b::a9fe:a9fe', 'ipv4-embedded'],
  ['64:ff9b::c0a8:101', 'ipv4-embedded'],
  ['2002:7f00:1::1', 'ipv4-embedded'],
  ['2002:a00:1::', 'ipv4-embedded'],
  ['2002:c0a8:101::1', 'ipv4-embedded'],
  ['2002:a9fe:a9fe::', 'ipv4-embedded'],
];

describe('address classifier', () => {
  it('puts every address of the corpus in its category', () => {
    for (const [address, category] of CORPUS) {
      assert.equal(classifyAddress(address)?.category, category, address);
    }
  });

  it('describes what an embedded IPv4 address is', () => {
    assert.equal(classifyAddress('64:ff9b::a9fe:a9fe')?.description, 'a NAT64 address that embeds 169.254.169.254 (a cloud metadata address)');
    assert.equal(classifyAddress('2002:a00:1::')?.description, 'a 6to4 address that embeds 10.0.0.1 (a private address)');
    assert.equal(classifyAddress('::ffff:7f00:1')?.description, 'an IPv6 form of the IPv4 address 127.0.0.1, which Warden refuses in this form');
    assert.equal(classifyAddress('10.1.2.3')?.description, 'a private address');
  });

  it('allows only public addresses by default', () => {
    for (const [address, category] of CORPUS) {
      assert.equal(addressVerdict(address, false).allowed, category === 'public', address);
    }
  });

  it('with private addresses allowed, reaches loopback and private ones but nothing else new', () => {
    for (const [address, category] of CORPUS) {
      const expected = category === 'public' || category === 'loopback' || category === 'private';
      assert.equal(addressVerdict(address, true).allowed, expected, address);
    }
    for (const metadata of ['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe']) {
      assert.equal(addressVerdict(metadata, true).allowed, false, metadata);
    }
  });

  it('refuses text that is not a canonical address (fails closed)', () => {
    for (const text of ['0x7f.1', '127.1', '2130706433', '0177.0.0.1', 'localhost', 'fe80::1%eth0', '']) {
      assert.deepEqual(addressVerdict(text, true), { allowed: false, description: 'not an IP address Warden can check' }, text);
      assert.equal(isIpLiteral(text), false, text);
    }
  });
});
