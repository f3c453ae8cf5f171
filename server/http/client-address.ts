// Which address a request came from, for the per-address rate limit. Pure: the peer, the header
// and the configured proxies in, an address out.

const normal = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");

/**
 * The TCP peer, unless it is one of `trustedProxies`: then `X-Forwarded-For` is read from the right
 * (the hops our own proxies appended), and the first address that is not a trusted proxy is the
 * client. A forwarded header from anyone else is ignored: any client can write one.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trustedProxies: readonly string[]): string | undefined {
  let address = peer ? normal(peer) : undefined;
  if (!address || !forwardedFor || !trustedProxies.includes(address)) return address;
  const hops = forwardedFor.split(",").map(normal).filter(Boolean);
  for (let hop = hops.pop(); hop !== undefined; hop = hops.pop()) {
    if (!trustedProxies.includes(hop)) return hop;
    address = hop;
  }
  return address;
}
