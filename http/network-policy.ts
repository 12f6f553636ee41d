// Which addresses the catalogue's HTTP clients (the harvester, the partner's HTTP mirror) may reach on behalf of a
// partner. The URL an operator configures is used as given. A redirect to another origin, and every host name, must
// lead to a public address unless the partner says `allowPrivateNetwork: true`: otherwise a partner could make the
// harvester fetch from the cloud metadata service (169.254.169.254), the machine itself or the local network and
// publish what it answered. The check runs in the DNS lookup of each connection, on the address actually connected
// to, so that a name which resolves to a public address once and to a private one later (DNS rebinding) is caught.
// Node-only (node:dns, node:net).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NetworkPolicyError } from './errors.ts';

/** A connection or a redirect to a non-public address was refused (code PRIVATE_ADDRESS). */
export class PrivateAddressError extends NetworkPolicyError {
  readonly host: string;
  readonly address: string;
  readonly range: string;
  constructor(host: string, address: string, range: string) {
    super(
      'PRIVATE_ADDRESS',
      `${host} is at ${address}, a ${range} address that is not public; refused. Fix: if this partner really ` +
        `is on your own network, set allowPrivateNetwork: true for it in harvester/partners.yaml`,
    );
    this.name = 'PrivateAddressError';
    this.host = host;
    this.address = address;
    this.range = range;
  }
}

/**
 * The ipaddr.js range of an address ('unicast' means public), IPv4-mapped IPv6 (::ffff:a.b.c.d) read as the IPv4
 * address, and NAT64 (RFC 6052, 64:ff9b::/96) as the IPv4 address it embeds: both reach that IPv4 host. Other
 * ranges (6to4, Teredo, documentation, carrier-grade NAT, ...) are not public. Undefined for text that is no address.
 */
export function addressRange(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.process(bare);
  const range = parsed.range();
  if (range === 'rfc6052' && parsed.kind() === 'ipv6') {
    const bytes = parsed.toByteArray().slice(12);
    return ipaddr.fromByteArray(bytes).range();
  }
  return range;
}

/** True for an address on the public Internet (ipaddr.js range 'unicast'). */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** The shape of dns.lookup that node:net and undici call for each connection. */
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A DNS lookup that refuses a name resolving to any non-public address (PrivateAddressError), for the `lookup`
 * option of node:http requests and of undici's connect. `lookup` is the resolver used underneath (default
 * dns.lookup; tests inject theirs, e.g. a name that resolves to 169.254.169.254).
 */
export function publicOnlyLookup(lookup: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const all = Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }];
      // Every address must be public: a connection may go to any of them (happy eyeballs tries several).
      for (const entry of all) {
        const range = addressRange(entry.address);
        if (range !== 'unicast')
          return callback(new PrivateAddressError(hostname, entry.address, range ?? 'unknown'), address, family);
      }
      callback(null, address, family);
    });
  };
}

/**
 * Checks one hop of a redirect chain, before it is requested. The configured URL's own origin stays allowed (the
 * operator chose it); another origin written as an IP address must be public (a host name is checked by
 * publicOnlyLookup when it is connected to). Throws PrivateAddressError.
 */
export function assertRedirectAllowed(configured: URL, next: URL, allowPrivateNetwork: boolean): void {
  if (allowPrivateNetwork || next.origin === configured.origin) return;
  const host = next.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const range = addressRange(host) ?? 'unknown';
    if (range !== 'unicast') throw new PrivateAddressError(next.host, host, range);
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    // RFC 6761 §6.3: localhost names are the loopback, whatever a resolver says.
    throw new PrivateAddressError(next.host, host, 'loopback');
  }
}

/** The PrivateAddressError behind a failed request: fetch and node:net hand the lookup's error on as a cause. */
export function privateAddressOf(error: unknown): PrivateAddressError | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof PrivateAddressError) return e;
  }
  return undefined;
}
