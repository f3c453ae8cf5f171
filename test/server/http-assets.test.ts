// The built loader and widget chunks as a site's pages fetch them (distDir), as a CDN serves
// them: the file's bytes as JavaScript, or the brotli or gzip form the build wrote, by
// Accept-Encoding; a strong ETag per form and 304 on revalidation; the loader cached briefly (its
// URL is what site owners paste), hashed chunks for good; loadable cross-origin as module scripts,
// timing visible, never sniffed; a missing file or a name that is not a plain .js file is a 404.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/db.ts";
import { createApi } from "../../server/http/api.ts";
import { silentLogger } from "../../server/log.ts";
import type { Store } from "../../server/store.ts";
import { openTestApi } from "../support/api.ts";
import { callApi } from "../support/http.ts";

let dir: string;
let outside: string;
let db: Db;
let api: ReturnType<typeof createApi>;
let bare: ReturnType<typeof createApi>;

const LOADER = "/* loader */ window.parley = 1;\n";
const WIDGET = "/* widget */ export const é = '✓';\n";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-dist-"));
  outside = mkdtempSync(join(tmpdir(), "parley-outside-"));
  writeFileSync(join(dir, "loader.js"), LOADER);
  writeFileSync(join(dir, "widget.js"), WIDGET);
  writeFileSync(join(dir, "widget.js.br"), brotliCompressSync(WIDGET));
  writeFileSync(join(dir, "widget.js.gz"), gzipSync(WIDGET));
  writeFileSync(join(dir, "chunk-a1_B.min.js"), "1;");
  writeFileSync(join(dir, "notes.txt"), "not an asset");
  writeFileSync(join(outside, "secret.js"), "leaked");
  let store: Store;
  ({ db, store, api } = await openTestApi({ distDir: dir }));
  bare = createApi({ store, log: silentLogger });
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("GET /<file>.js", () => {
  it("the loader: its bytes as JavaScript, cached five minutes, loadable from any site, never sniffed", async () => {
    const res = await api.request("/loader.js");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(LOADER);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("timing-allow-origin")).toBe("*");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });

  it("a chunk (content-hashed by the build): the same, cached for good; the bytes are exact (UTF-8 untouched)", async () => {
    const res = await api.request("/widget.js");
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(WIDGET));
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-encoding")).toBeNull();
    const chunk = await api.request("/chunk-a1_B.min.js");
    expect([chunk.status, await chunk.text(), chunk.headers.get("cache-control")]).toEqual([200, "1;", "public, max-age=31536000, immutable"]);
  });

  it("each encoding the client accepts, the form the build wrote: brotli first, else gzip, else the file as is", async () => {
    const get = (acceptEncoding: string) => api.request("/widget.js", { headers: { "accept-encoding": acceptEncoding } });
    const br = await get("gzip, deflate, br, zstd");
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(WIDGET);
    const gz = await get("gzip");
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(WIDGET);
    expect((await get("br;q=0, gzip")).headers.get("content-encoding")).toBe("gzip");
    expect((await get("br;q=0.5, gzip;q=1")).headers.get("content-encoding")).toBe("gzip");
    expect((await get("*")).headers.get("content-encoding")).toBe("br");
    expect((await get("identity")).headers.get("content-encoding")).toBeNull();
    // The loader has no compressed form here: as is, whatever is accepted.
    expect((await api.request("/loader.js", { headers: { "accept-encoding": "br, gzip" } })).headers.get("content-encoding")).toBeNull();
    // One tag per form, all of the same bytes.
    const tags = new Set([br, gz, await get("identity")].map((r) => r.headers.get("etag")));
    expect(tags.size).toBe(3);
  });

  it("revalidation: 304 with no body for the form's own tag (or *), 200 for another", async () => {
    const first = await api.request("/widget.js", { headers: { "accept-encoding": "br" } });
    const tag = first.headers.get("etag")!;
    const again = await api.request("/widget.js", { headers: { "accept-encoding": "br", "if-none-match": tag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(tag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await api.request("/widget.js", { headers: { "if-none-match": `"other", W/${tag}` } })).status).toBe(200);
    expect((await api.request("/widget.js", { headers: { "accept-encoding": "br", "if-none-match": `"other", W/${tag}` } })).status).toBe(304);
    expect((await api.request("/loader.js", { headers: { "if-none-match": "*" } })).status).toBe(304);
  });

  it("a rebuilt file is served anew, with a new tag; a compressed form older than the file is not served", async () => {
    const name = "rebuilt.js";
    writeFileSync(join(dir, name), "old();");
    writeFileSync(join(dir, name + ".gz"), gzipSync("old();"));
    const before = await api.request("/" + name, { headers: { "accept-encoding": "gzip" } });
    expect(gunzipSync(Buffer.from(await before.arrayBuffer())).toString()).toBe("old();");
    writeFileSync(join(dir, name), "new();");
    // The stale .gz is older than the file now.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, name + ".gz"), past, past);
    const after = await api.request("/" + name, { headers: { "accept-encoding": "gzip" } });
    expect(after.headers.get("content-encoding")).toBeNull();
    expect(await after.text()).toBe("new();");
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag")?.replace("-gzip", ""));
  });

  it("a .js file that is not there: 404 not_found naming it and the likely fix", async () => {
    const res = await callApi(api, "/nothere.js");
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: "not_found", message: "No asset nothere.js. Run `npm run build`?" });
    expect(res.headers.get("cache-control")).toBeNull();
  });

  it.each(["/notes.txt", "/loader.js.map", "/..%2F" + "parley-outside/secret.js", "/.js", "/sub/loader.js", "/loader.js/", "/a..js"])(
    "%s is not an asset path: 404 No such endpoint, nothing read",
    async (path) => {
      const res = await callApi(api, path);
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({ code: "not_found", message: "No such endpoint." });
      expect(res.text).not.toContain("leaked");
    },
  );

  it("without distDir, no asset is served: the API's 404", async () => {
    const res = await callApi(bare, "/loader.js");
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: "not_found", message: "No such endpoint." });
  });
});
