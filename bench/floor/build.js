// Builds the floor widget (floor.jsx) as Parley's widget is built: the JSX, target, minifier and
// terser options are read from vite.config.ts's `widget` mode, not copied, so the two cannot drift;
// the output is an ES module under a content-hashed name, in a temporary folder.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, loadConfigFromFile } from "vite";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = fileURLToPath(new URL("floor.jsx", import.meta.url));

/** @returns {Promise<{ files: Map<string, Buffer>, entry: string, settings: object }>} */
export async function buildFloor() {
  const loaded = await loadConfigFromFile({ command: "build", mode: "widget", isSsrBuild: false, isPreview: false }, join(ROOT, "vite.config.ts"), ROOT, "silent");
  const ours = loaded?.config;
  if (!ours?.build?.minify) throw new Error("vite.config.ts's `widget` mode has no build.minify: the floor cannot copy Parley's build settings (has the mode been renamed?)");
  const settings = { oxc: ours.oxc, target: ours.build.target, minify: ours.build.minify, terserOptions: ours.build.terserOptions };
  const outDir = mkdtempSync(join(tmpdir(), "parley-floor-"));
  await build({
    configFile: false,
    root: ROOT,
    logLevel: "warn",
    oxc: settings.oxc,
    build: {
      outDir,
      emptyOutDir: true,
      target: settings.target,
      minify: settings.minify,
      terserOptions: settings.terserOptions,
      sourcemap: false,
      lib: { entry: { floor: ENTRY }, formats: ["es"] },
      rolldownOptions: { output: { entryFileNames: "[name]-[hash].js", chunkFileNames: "[name]-[hash].js" } },
    },
  });
  const names = readdirSync(outDir).filter((f) => f.endsWith(".js"));
  const entry = names.find((f) => f.startsWith("floor-"));
  if (!entry) throw new Error(`the floor build wrote no floor-*.js in ${outDir}`);
  const files = new Map(names.map((f) => [f, readFileSync(join(outDir, f))]));
  rmSync(outDir, { recursive: true, force: true });
  return { files, entry, settings };
}
