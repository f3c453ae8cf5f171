// Four builds from one config, picked by --mode: the widget (ES-module chunks under
// content-hashed names: the first chunk with the core and the launcher, lazy chunks for the rest),
// the loader (a tiny IIFE that knows the first chunk's name), the server (Node ESM for the
// `parley` CLI) and the operator console. `npm run build` runs them in that order: the loader is
// built from the widget's manifest. Every widget and loader file is written beside its brotli and
// gzip forms, for serving as is.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin, type UserConfig } from "vite";

/** Where the widget build lists its chunks: the loader's build and the size test read it. */
export const MANIFEST = "dist/.vite/manifest.json";
export const WIDGET_ENTRY = "widget/index.ts";

// terser, for what oxc's minifier does not do: mangle our `_private` members (Preact's habit) and
// squeeze harder. Every byte of these files is paid by every page view.
const terserOptions = (module: boolean) => ({
  ecma: 2020 as const,
  module,
  compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
  mangle: { properties: { regex: /^_[a-z]/ } },
  format: { comments: false },
});

/**
 * Once the new chunks are written, removes the widget's chunks of earlier builds (never the loader,
 * dist/server or the console): emptying dist/ first would pull files from under a server or a test
 * running beside the build. A build that writes nothing (the size test's) removes nothing.
 */
const removeOldChunks = (): Plugin => ({
  name: "parley-remove-old-chunks",
  writeBundle(options, bundle) {
    const dir = options.dir ?? "dist";
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      const chunk = file.name.replace(/\.(br|gz)$/, "");
      if (file.isFile() && chunk.endsWith(".js") && chunk !== "loader.js" && !(chunk in bundle)) rmSync(join(dir, file.name));
    }
  },
});

/** Writes `file.js.br` and `file.js.gz` beside each built file, at the strongest settings (built once, served many times). */
const precompress = (): Plugin => ({
  name: "parley-precompress",
  writeBundle(options, bundle) {
    for (const file of Object.keys(bundle)) {
      if (!file.endsWith(".js")) continue;
      const path = join(options.dir ?? "dist", file);
      const raw = readFileSync(path);
      writeFileSync(path + ".br", brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
      writeFileSync(path + ".gz", gzipSync(raw, { level: 9 }));
    }
  },
});

const jsx = { jsx: { runtime: "automatic" as const, importSource: "preact" } };

const widget = (): UserConfig => ({
  // Production output whatever NODE_ENV the build runs under (vitest sets "test", which would
  // select the JSX dev runtime: bigger chunks, other hashes).
  oxc: { jsx: { ...jsx.jsx, development: false } },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  plugins: [removeOldChunks(), precompress()],
  build: {
    outDir: "dist",
    emptyOutDir: false,
    target: "es2022",
    minify: "terser",
    terserOptions: terserOptions(true),
    sourcemap: false,
    manifest: true,
    // Library mode: no preload helper (each lazy chunk is one import() of one file) and no polyfill.
    lib: { entry: { widget: WIDGET_ENTRY }, formats: ["es"] },
    rolldownOptions: {
      // What lazy chunks share with the first one is exported from it, rather than split into a third file.
      preserveEntrySignatures: "allow-extension",
      output: { entryFileNames: "[name]-[hash].js", chunkFileNames: "[name]-[hash].js" },
    },
  },
});

const loader = (): UserConfig => {
  const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as Record<string, { file: string }>;
  return {
    define: { __PARLEY_WIDGET__: JSON.stringify(manifest[WIDGET_ENTRY]!.file) },
    plugins: [precompress()],
    build: {
      outDir: "dist",
      emptyOutDir: false,
      target: "es2022",
      minify: "terser",
      terserOptions: terserOptions(false),
      sourcemap: false,
      lib: { entry: "loader/index.ts", name: "ParleyLoader", formats: ["iife"], fileName: () => "loader.js" },
      rolldownOptions: { output: { extend: false } },
    },
  };
};

// The operator console: an app of its own (console/index.html), served by `parley serve` at
// /console from dist/console. Its files are the page, one script and one stylesheet, all under
// content-hashed names: nothing inline, so its CSP needs no nonce. No budget: it is not on anyone's site.
const consoleApp = (): UserConfig => ({
  root: "console",
  base: "/console/",
  publicDir: false,
  oxc: { jsx: { ...jsx.jsx, development: false } },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: "../dist/console",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Nothing as a data: URL (the CSP allows none); no modulepreload polyfill (one script).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});

export default defineConfig(({ mode }) => {
  if (mode === "widget") return widget();
  if (mode === "console") return consoleApp();
  if (mode === "loader") return loader();
  if (mode === "server")
    return {
      build: {
        outDir: "dist/server",
        emptyOutDir: true,
        target: "node20",
        ssr: true,
        minify: false,
        // cli.js for the `parley` command; index.js for `parley/server`, the signing helpers;
        // verify.js for the server benchmark's in-process measure of verification.
        rolldownOptions: { input: { cli: "server/cli/main.ts", demo: "demo/main.ts", index: "server/index.ts", verify: "server/verify/verify.ts" }, output: { entryFileNames: "[name].js" } },
      },
    };
  // vitest: the folder picks the environment.
  return {
    oxc: jsx,
    // The loader's unit tests run its source: the first chunk's name is fixed there.
    define: { __PARLEY_WIDGET__: JSON.stringify("widget.js") },
    test: {
      // Once for every project: a current dist/, and the snippets' interpreters (see the file).
      globalSetup: ["test/support/global-setup.ts"],
      projects: [
        { extends: true, test: { name: "unit", environment: "happy-dom", include: ["test/unit/**/*.test.ts?(x)"] } },
        // The npm entries (`parley`, `parley/react`); a file that runs as a server would says so (@vitest-environment node).
        // The loader's <script> that `Parley.load` adds is not fetched: happy-dom says it loaded, quietly.
        {
          extends: true,
          test: {
            name: "sdk",
            environment: "happy-dom",
            environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
            include: ["test/sdk/**/*.test.ts?(x)"],
          },
        },
        { extends: true, test: { name: "size", environment: "node", include: ["test/size/**/*.test.ts"] } },
        // The server suite runs twice: on embedded storage, and on a real PostgreSQL.
        { extends: true, test: { name: "server", environment: "node", include: ["test/server/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 } },
        {
          extends: true,
          test: {
            name: "server-pg",
            environment: "node",
            include: ["test/server/**/*.test.ts"],
            globalSetup: ["test/support/postgres-setup.ts"],
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  } as UserConfig;
});
