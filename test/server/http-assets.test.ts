// The built loader and widget as a site's pages fetch them (distDir): the file's bytes as
// JavaScript, cacheable (the loader briefly, since its URL is what site owners paste), loadable
// cross-origin, never sniffed; a missing file or a name that is not a plain .js file is a 404.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("any other file: the same, cached an hour; the bytes are exact (UTF-8 untouched)", async () => {
    const res = await api.request("/widget.js");
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(WIDGET));
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const chunk = await api.request("/chunk-a1_B.min.js");
    expect([chunk.status, await chunk.text(), chunk.headers.get("cache-control")]).toEqual([200, "1;", "public, max-age=3600"]);
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
