// Three builds from one config, picked by --mode: the loader and the widget (IIFE bundles for
// browsers) and the server (Node ESM for the `parley` CLI). `npm run build` runs all three.
import { defineConfig, type UserConfig } from "vite";

const browser = (entry: string, name: string, file: string, empty: boolean): UserConfig => ({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: empty,
    target: "es2022",
    // terser, for what oxc's minifier does not do: mangle our `_private` members (Preact's habit)
    // and squeeze harder. Every byte of these two files is paid by every page view.
    minify: "terser",
    terserOptions: {
      ecma: 2020,
      module: false,
      compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
      mangle: { properties: { regex: /^_[a-z]/ } },
      format: { comments: false },
    },
    sourcemap: false,
    lib: { entry, name, formats: ["iife"], fileName: () => file },
    rolldownOptions: { output: { extend: false } },
  },
});

export default defineConfig(({ mode }) => {
  if (mode === "loader") return browser("loader/index.ts", "ParleyLoader", "loader.js", true);
  if (mode === "widget") return browser("widget/index.ts", "ParleyWidget", "widget.js", false);
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
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    test: {
      // Once for every project: a current dist/, and the snippets' interpreters (see the file).
      globalSetup: ["test/support/global-setup.ts"],
      projects: [
        { extends: true, test: { name: "unit", environment: "happy-dom", include: ["test/unit/**/*.test.ts?(x)"] } },
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
