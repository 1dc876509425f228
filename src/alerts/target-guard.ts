// Where outgoing webhooks may go (SSRF protection): http(s) URLs without credentials whose host resolves only to
// public addresses, unless an admin allowed private targets. The caller then connects to the checked address,
// so a second DNS answer (rebinding) cannot swap it.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address of a host name (tests inject their own to play a public name resolving privately). */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

const systemLookup: LookupAll = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** A target Fidelio will not send to; the message says why. */
export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

/** A checked target: its URL and the one address to connect to. */
export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

type Range = { bytes: number[]; bits: number };

function range(cidr: string): Range {
  const [address, bits] = cidr.split('/') as [string, string];
  return { bytes: ipBytes(address)!, bits: Number(bits) };
}

// The first range that holds an address names why it is refused (IANA special-purpose registries).
const V4: readonly [Range, string][] = [
  [range('169.254.169.254/32'), 'link-local (cloud metadata)'],
  [range('0.0.0.0/8'), 'unspecified'],
  [range('10.0.0.0/8'), 'private'],
  [range('100.64.0.0/10'), 'private (carrier-grade NAT)'],
  [range('127.0.0.0/8'), 'loopback'],
  [range('169.254.0.0/16'), 'link-local'],
  [range('172.16.0.0/12'), 'private'],
  [range('192.0.0.0/24'), 'reserved'],
  [range('192.0.2.0/24'), 'reserved (documentation)'],
  [range('192.88.99.0/24'), 'reserved'],
  [range('192.168.0.0/16'), 'private'],
  [range('198.18.0.0/15'), 'reserved (benchmarking)'],
  [range('198.51.100.0/24'), 'reserved (documentation)'],
  [range('203.0.113.0/24'), 'reserved (documentation)'],
  [range('224.0.0.0/4'), 'multicast'],
  [range('255.255.255.255/32'), 'broadcast'],
  [range('240.0.0.0/4'), 'reserved'],
];

const V6: readonly [Range, string][] = [
  [range('::/128'), 'unspecified'],
  [range('::1/128'), 'loopback'],
  [range('64:ff9b:1::/48'), 'private (local NAT64)'],
  [range('fc00::/7'), 'private'],
  [range('fe80::/10'), 'link-local'],
  [range('fec0::/10'), 'private (site-local)'],
  [range('ff00::/8'), 'multicast'],
  [range('2001:db8::/32'), 'reserved (documentation)'],
  [range('3fff::/20'), 'reserved (documentation)'],
  [range('2001::/23'), 'reserved'],
];
/** IPv6 ranges that carry an IPv4 address, and where: mapped (::ffff:a.b.c.d), NAT64, 6to4. */
const EMBEDDING: readonly [Range, number][] = [
  [range('::ffff:0:0/96'), 12],
  [range('64:ff9b::/96'), 12],
  [range('2002::/16'), 2],
];
const GLOBAL_UNICAST = range('2000::/3');

function within(bytes: readonly number[], { bytes: prefix, bits }: Range): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (prefix[bit / 8]! & mask)) return false;
  }
  return true;
}

function ipv4Bytes(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** The 4 or 16 bytes of an IP address, or null when `text` is not one. */
function ipBytes(text: string): number[] | null {
  const family = isIP(text);
  if (family === 4) return ipv4Bytes(text);
  if (family !== 6) return null;
  let s = text.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]!)!;
    s = `${s.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill('0'), ...back];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * Why `address` is no public target ("loopback", "private", "link-local (cloud metadata)", …), or null when it
 * is a public unicast address. An IPv4 address inside IPv6 (::ffff:127.0.0.1, NAT64, 6to4) is judged as IPv4.
 */
export function addressRefusal(address: string): string | null {
  const bytes = ipBytes(address);
  if (!bytes) return 'not an IP address';
  if (bytes.length === 4) return V4.find(([r]) => within(bytes, r))?.[1] ?? null;
  for (const [r, at] of EMBEDDING) {
    if (within(bytes, r)) {
      const v4 = bytes.slice(at, at + 4).join('.');
      const reason = addressRefusal(v4);
      return reason && `${reason} (IPv4 ${v4} inside IPv6)`;
    }
  }
  const reason = V6.find(([r]) => within(bytes, r))?.[1];
  if (reason) return reason;
  return within(bytes, GLOBAL_UNICAST) ? null : 'reserved';
}

/** `text` as a URL Fidelio may post to: absolute, http or https, with a host and without user or password. */
function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetRefused('not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefused(`only http and https URLs are allowed (got ${url.protocol.replace(/:$/, '')})`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TargetRefused('a webhook URL must not hold a user name or password');
  }
  if (url.hostname === '') throw new TargetRefused('the URL has no host');
  return url;
}

/**
 * Checks `text` and resolves its host: refused (TargetRefused) when any address of the host is not public,
 * unless `allowPrivate`. The target's address is the one to connect to.
 */
export async function resolveTarget(
  text: string,
  options: { allowPrivate: boolean; lookup?: LookupAll | undefined },
): Promise<Target> {
  const url = parseTargetUrl(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal === 4 || literal === 6) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await (options.lookup ?? systemLookup)(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new TargetRefused(`cannot resolve ${host}${code ? ` (${code})` : ''}`);
    }
    if (addresses.length === 0) throw new TargetRefused(`cannot resolve ${host}`);
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const reason = addressRefusal(address);
      if (reason) {
        const subject = address === host ? address : `${host} resolves to ${address}, which`;
        throw new TargetRefused(
          `${subject} is not a public address (${reason}); an admin may allow it with allow_private: true`,
        );
      }
    }
  }
  const [first] = addresses as [ResolvedAddress];
  return { url, address: first.address, family: first.family };
}
