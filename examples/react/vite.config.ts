// The React example, built as a site would build it: `parley` and `parley/react` resolve to this
// package's built entries (dist/sdk, from `npm run build`), React is the app's own.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  envDir: root,
  oxc: { jsx: { runtime: "automatic", importSource: "react", development: false } },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: { outDir: fileURLToPath(new URL("../../dist/examples/react", import.meta.url)), emptyOutDir: true, target: "es2022" },
});
