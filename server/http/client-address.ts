// Which client a request came from, for the per-address rate limit. Pure: the peer, the header
// and the configured proxies in, a client key out.
import { isIP } from "node:net";

/** An address as written in a socket, a header hop or a setting: no brackets, no port, no IPv4-mapped prefix. */
export function normalAddress(text: string): string | undefined {
  let a = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  a = a.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(a) ? a.toLowerCase() : undefined;
}

/**
 * The TCP peer, unless it is one of `trustedProxies`: then `X-Forwarded-For` is read from the right
 * (the hops our own proxies appended), and the first hop that is not a trusted proxy is the client.
 * A forwarded header from anyone else is ignored: any client can write one. A hop that is not an
 * address ends the walk at the last trusted one (never a key made of whatever text was sent).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trustedProxies: readonly string[]): string | undefined {
  const trusted = new Set(trustedProxies.map(normalAddress).filter((a): a is string => !!a));
  let address = peer === undefined ? undefined : normalAddress(peer);
  if (!address || !forwardedFor || !trusted.has(address)) return address;
  const hops = forwardedFor.split(",");
  for (let hop = hops.pop(); hop !== undefined; hop = hops.pop()) {
    const a = normalAddress(hop);
    if (!a) break;
    if (!trusted.has(a)) return a;
    address = a;
  }
  return address;
}

/**
 * The rate-limit key of an address: an IPv4 address itself; an IPv6 address by its /64, which is
 * what one subscriber is given (one host can use every address in it).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::1.2.3.4) lies past the /64 anyway.
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":") + "::/64";
}
