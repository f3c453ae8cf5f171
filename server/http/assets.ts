// The built loader and widget (and any lazy chunks), served as a site owner's pages fetch them.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";
import { apiError } from "./errors.ts";

export function assetRoutes(distDir: string) {
  const routes = new Hono();
  routes.get("/:file{[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.js}", async (c) => {
    const file = c.req.param("file");
    let body: Buffer;
    try {
      body = await readFile(join(distDir, file));
    } catch {
      return apiError(c, 404, "not_found", `No asset ${file}. Run \`npm run build\`?`);
    }
    // The loader's URL is what site owners paste, so it must pick up releases quickly.
    c.header("Cache-Control", file === "loader.js" ? "public, max-age=300" : "public, max-age=3600");
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(new Uint8Array(body));
  });
  return routes;
}
