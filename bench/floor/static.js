// A static server for the bench's other widgets (the floor, gleap), serving them the way a CDN
// serves Parley's chunks: content-hashed names under an immutable cache, brotli or gzip picked by
// `Accept-Encoding` from forms compressed once at the strongest settings, strong ETags and 304s,
// and the cross-origin headers a module script and Resource Timing need.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The strongest settings, as Parley's build precompresses its own files. */
export const brotli = (raw) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
export const gzip = (raw) => gzipSync(raw, { level: 9 });

/** `name-<hash>.js`, the content-hashed name a build gives a chunk. */
export const hashedName = (name, raw) => `${name}-${createHash("sha256").update(raw).digest("base64url").slice(0, 8)}.js`;

/**
 * Serves `files` (a map of name → JavaScript bytes) on a free loopback port.
 * @param {Map<string, Buffer>} files
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic(files) {
  const assets = new Map();
  for (const [name, raw] of files) {
    const etag = `"${createHash("sha256").update(raw).digest("base64url").slice(0, 16)}"`;
    assets.set(name, { etag, identity: raw, br: brotli(raw), gzip: gzip(raw) });
  }
  const server = createServer((req, res) => {
    const asset = assets.get(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice(1)));
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Timing-Allow-Origin", "*");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    if (!asset || (req.method !== "GET" && req.method !== "HEAD")) {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("Content-Type", "text/javascript; charset=utf-8");
    res.setHeader("ETag", asset.etag);
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (req.headers["if-none-match"] === asset.etag) {
      res.statusCode = 304;
      return res.end();
    }
    const accepted = String(req.headers["accept-encoding"] ?? "").split(",").map((s) => s.trim().split(";")[0]);
    const encoding = accepted.includes("br") ? "br" : accepted.includes("gzip") ? "gzip" : "identity";
    const body = asset[encoding];
    if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", body.length);
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
