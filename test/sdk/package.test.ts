// @vitest-environment node
// The package as npm users get it, from the build (`npm test` builds first): the type test passes
// against the emitted declarations, a bundler keeps only the commands a page calls, and the
// tarball holds the entries and nothing of the tests, the demo or the examples.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { describe, expect, it } from "vitest";

const dist = (file: string) => fileURLToPath(new URL(`../../dist/sdk/sdk/${file}`, import.meta.url));

async function bundle(code: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "parley-shake-"));
  try {
    writeFileSync(join(dir, "page.js"), code);
    const out = await build({
      configFile: false,
      logLevel: "silent",
      root: dir,
      resolve: { alias: { "parley/react": dist("react.js"), parley: dist("index.js") } },
      build: { write: false, minify: false, lib: { entry: join(dir, "page.js"), formats: ["es"], fileName: "page" }, rolldownOptions: { external: ["react"] } },
    });
    const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => ("output" in o ? o.output : []));
    return outputs.map((c) => (c.type === "chunk" ? c.code : "")).join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the npm package", () => {
  it("passes the type test against its built declarations", () => {
    execFileSync("node_modules/.bin/tsc", ["--noEmit", "-p", "test/types/tsconfig.dist.json"], { stdio: "pipe" });
  }, 60_000);

  it("is tree-shaken: a page that only opens the panel carries no loader code", async () => {
    const opens = await bundle('import { Parley } from "parley"; Parley.open({ message: "Hi" });');
    expect(opens).toContain('"open"');
    expect(opens).not.toContain("loader.js");
    expect(opens).not.toContain('"identify"');
    const loads = await bundle('import { Parley } from "parley"; Parley.load({ host: "https://p.example", appId: "app_1" });');
    expect(loads).toContain("loader.js");
  }, 60_000);

  it("ships the entries, the server helpers' types and the built server, and nothing of tests, demo or examples", () => {
    const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    for (const f of ["package.json", "README.md", "bin/parley.js", "dist/loader.js", "dist/server/cli.js", "dist/server/index.js", "server/index.ts", "contract/wire.ts"]) expect(files).toContain(f);
    for (const f of ["index.js", "index.d.ts", "react.js", "react.d.ts", "global.d.ts"]) expect(files).toContain(`dist/sdk/sdk/${f}`);
    expect(files.filter((f) => /^(test|demo|examples|docs\/screenshots|dist\/examples|dist\/\.vite|bench|scripts)\//.test(f))).toEqual([]);
  }, 60_000);
});
