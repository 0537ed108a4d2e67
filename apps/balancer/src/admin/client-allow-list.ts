import { BlockList, isIPv4 } from 'node:net';

/** CIDRs (`127.0.0.0/8`, `::1`, `10.0.0.0/8`) as a matcher of client addresses. */
export class ClientAllowList {
  private readonly list = new BlockList();

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/');
      const family = isIPv4(address) ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
  }

  /** True when `address` (a socket's remote address) is inside one of the CIDRs. */
  allows(address: string | undefined): boolean {
    if (!address) return false;
    // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    const mapped = address.startsWith('::ffff:') ? address.slice(7) : address;
    if (isIPv4(mapped)) return this.list.check(mapped, 'ipv4');
    return this.list.check(address, 'ipv6');
  }
}
