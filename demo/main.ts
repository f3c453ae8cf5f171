// `npm start`: the Parley server (as `parley serve` runs it, the operator console included) and,
// beside it, the demo: a customer-like site, on loopback only. The product's CLI does not carry it.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { DEFAULT_PORT, parsePort, readEnv } from "../server/config.ts";
import { builtAssets, startServer, type RunningServer } from "../server/lifecycle.ts";
import { jsonLogger } from "../server/log.ts";
import { UserError } from "../server/secrets.ts";
import { FolderHeld } from "../server/storage/folder-lock.ts";
import { startDemo } from "./site.ts";

const HOST = "127.0.0.1";

async function main(): Promise<number> {
  let server: RunningServer | undefined;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: "string" }, "demo-port": { type: "string" } }, strict: true });
    const env = readEnv();
    // The console needs an operator token: on loopback, for trying things, one is made up for this
    // run when none is set (and printed below, where only whoever started the process sees it).
    const madeUpToken = !env.adminToken;
    env.adminToken ??= randomBytes(18).toString("base64url");
    const port = parsePort(values.port ?? env.port, DEFAULT_PORT);
    const sitePort = parsePort(values["demo-port"], port === 0 ? 0 : port + 1, "--demo-port");
    server = await startServer({ env, port, host: HOST, log: jsonLogger, distDir: builtAssets() });
    const demo = await startDemo({ store: server.store, apiUrl: server.url, dataDir: env.dataDir, host: HOST, sitePort });
    process.stderr.write(
      [
        `Parley API on ${server.url} (storage: ${server.store.db.kind}, ${env.databaseUrl ? "DATABASE_URL" : env.dataDir})`,
        `Demo site:      ${demo.siteUrl}/`,
        `Console:        ${server.url}/console`,
        madeUpToken
          ? `                sign in with the operator token ${env.adminToken} (made up for this run; set PARLEY_ADMIN_TOKEN to choose it)`
          : "                sign in with the operator token you set in PARLEY_ADMIN_TOKEN",
        "",
      ].join("\n"),
    );
    await new Promise<void>((done) => {
      process.once("SIGTERM", () => done());
      process.once("SIGINT", () => done());
    });
    process.stderr.write("Parley: finishing requests in flight…\n");
    await demo.close();
    await server.stop();
    return 0;
  } catch (err) {
    await server?.stop();
    const known = err instanceof UserError || err instanceof FolderHeld || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`parley demo: ${known ? (err as Error).message : `unexpected error: ${(err as Error).message}`}\n`);
    return known ? 2 : 1;
  }
}


const code = await main();
// Nothing left should hold the process; if something does, it does not keep a stopped demo up.
setTimeout(() => process.exit(code), 2_000).unref();
process.exitCode = code;
