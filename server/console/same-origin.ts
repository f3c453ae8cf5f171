// Whether a request that changes something comes from the console's own pages. The session cookie
// is SameSite=Strict, so another site's form or fetch arrives without it; this is the second wall,
// for browsers or paths where that would not hold (a same-site subdomain, an old browser). Pure:
// the request's headers in, why it is refused (or nothing) out.

export interface OriginHeaders {
  /** `Sec-Fetch-Site`, which every current browser sends and no page can set. */
  fetchSite?: string;
  origin?: string;
  /** `Host`: the name and port this server was reached at. */
  host?: string;
}

/**
 * Why this request is not from our own pages, or undefined when it is: `Sec-Fetch-Site` must say
 * `same-origin`; where a browser sends none, `Origin` must name this very host. A request with
 * neither (no browser sends a write so) is refused too: a client other than a browser has no use
 * for the console's cookie — it calls the operator API with the token.
 */
export function crossSiteReason({ fetchSite, origin, host }: OriginHeaders): string | undefined {
  if (fetchSite !== undefined) return fetchSite === "same-origin" ? undefined : `Sec-Fetch-Site is "${fetchSite.slice(0, 40)}"`;
  if (origin === undefined) return "neither Sec-Fetch-Site nor Origin was sent";
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "Origin is not a URL";
  }
  // The scheme is not compared: behind a TLS proxy this server sees http for an https page.
  return host !== undefined && originHost === host.toLowerCase() ? undefined : "Origin is another site";
}
