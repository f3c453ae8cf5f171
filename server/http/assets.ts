// The built loader and widget chunks, served as a CDN would: precompressed (brotli, gzip, written
// by the build) and chosen by Accept-Encoding, a strong ETag per form with 304s, the loader
// briefly cached (its URL is what site owners paste, so a release reaches them in minutes) and
// every chunk, named by its content hash, cached for good. Loadable as a module script from any
// site (CORS), with its timing visible to the page (Timing-Allow-Origin).
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";
import { apiError } from "./errors.ts";

/** The one file whose name is not content-hashed. */
const LOADER = "loader.js";
const ENCODINGS = [
  ["br", ".br"],
  ["gzip", ".gz"],
] as const;
type Encoding = (typeof ENCODINGS)[number][0];

interface Asset {
  mtimeMs: number;
  size: number;
  /** The file's own bytes, and each precompressed form the build wrote for these bytes. */
  forms: { identity: Buffer } & Partial<Record<Encoding, Buffer>>;
  hash: string;
}

export function assetRoutes(distDir: string) {
  const routes = new Hono();
  // Read once and kept: a rebuild (new mtime or size) is seen on the next request.
  const cache = new Map<string, Asset>();
  routes.get("/:file{[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.js}", async (c) => {
    const file = c.req.param("file");
    let asset: Asset;
    try {
      asset = await load(join(distDir, file), cache.get(file));
      cache.set(file, asset);
    } catch {
      return apiError(c, 404, "not_found", `No asset ${file}. Run \`npm run build\`?`);
    }
    const encoding = pickEncoding(c.req.header("accept-encoding"), asset);
    const etag = `"${asset.hash}${encoding ? "-" + encoding : ""}"`;
    c.header("Cache-Control", file === LOADER ? "public, max-age=300" : "public, max-age=31536000, immutable");
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("ETag", etag);
    c.header("Vary", "Accept-Encoding");
    c.header("Access-Control-Allow-Origin", "*");
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    c.header("Timing-Allow-Origin", "*");
    c.header("X-Content-Type-Options", "nosniff");
    if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    if (encoding) c.header("Content-Encoding", encoding);
    return c.body(new Uint8Array(asset.forms[encoding ?? "identity"]!));
  });
  return routes;
}

async function load(path: string, cached: Asset | undefined): Promise<Asset> {
  const info = await stat(path);
  if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
  const identity = await readFile(path);
  const forms: Asset["forms"] = { identity };
  for (const [encoding, suffix] of ENCODINGS) {
    // A compressed form older than the file is of other bytes (a copy that skipped the build): unused.
    const form = await stat(path + suffix).catch(() => undefined);
    if (form && form.mtimeMs >= info.mtimeMs) forms[encoding] = await readFile(path + suffix);
  }
  const hash = createHash("sha256").update(identity).digest("base64url").slice(0, 22);
  return { mtimeMs: info.mtimeMs, size: info.size, forms, hash };
}

/** The best form the client accepts (`q=0` refuses one) that the build wrote; none: the file as is. */
export function pickEncoding(header: string | undefined, asset: Pick<Asset, "forms">): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (header ?? "").toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q) || 0);
  }
  const weight = (e: Encoding) => accepted.get(e) ?? accepted.get("*") ?? 0;
  const usable = ENCODINGS.map(([e]) => e).filter((e) => asset.forms[e] && weight(e) > 0);
  // The client's preference first; brotli (the smaller) on a tie.
  return usable.sort((a, b) => weight(b) - weight(a))[0];
}

/** If-None-Match: `*`, or a list of tags (a weak `W/` one matches too: a revalidation needs only that). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}
