#!/usr/bin/env node
// The `parley` command. The CLI is TypeScript built into dist/server by `npm run build`.
import { existsSync } from "node:fs";

const cli = new URL("../dist/server/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("parley: not built yet. Run `npm run build` (or `npm start`) first.\n");
  process.exit(2);
}
const { main } = await import(cli.href);
const code = await main(process.argv.slice(2));
// A command may have set its own exit code (doctor: 1 when the proof fails).
if (code) process.exitCode = code;
