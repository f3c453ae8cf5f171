// An allowed origin as a browser sends it (`https://example.com`, no path): what the CLI and the
// operator API accept for an app's origins.

/** The origin `value` names, or undefined when it is not an http(s) URL. */
export function toOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
