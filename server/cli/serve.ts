// `parley serve`: the API, the widget's assets and (embedded storage) the admin socket, until
// SIGTERM or SIGINT; then a calm stop (see lifecycle.ts). A second signal stops at once.
import { DEFAULT_HOST, DEFAULT_PORT, parsePort, readEnv } from "../config.ts";
import { builtAssets, startServer } from "../lifecycle.ts";
import { jsonLogger } from "../log.ts";
import { UserError } from "../secrets.ts";
import { text, type Command } from "./command.ts";

/** After storage is closed, whatever a stray handle still holds does not keep the process up. */
const EXIT_GRACE_MS = 2_000;

export const command: Command = {
  usage: "parley serve [--port N] [--host H]",
  options: { port: { type: "string" }, host: { type: "string" }, demo: { type: "boolean" } },
  async run(values) {
    if (values.demo) throw new UserError("The demo has its own entry now: run `npm start` in a checkout of Parley (it starts this server beside the demo site).");
    const env = readEnv();
    const port = parsePort(text(values, "port") ?? env.port, DEFAULT_PORT);
    const server = await startServer({ env, port, host: text(values, "host") ?? DEFAULT_HOST, log: jsonLogger, distDir: builtAssets() });
    const lines = [`Parley API on ${server.url} (storage: ${server.store.db.kind}, ${env.databaseUrl ? "DATABASE_URL" : env.dataDir})`];
    if (server.socketPath) lines.push(`Admin socket:  ${server.socketPath} (parley app|key|doctor use it while this runs)`);
    process.stderr.write(lines.join("\n") + "\n");
    await nextSignal();
    process.stderr.write("Parley: finishing requests in flight… (again to stop now)\n");
    void nextSignal().then(() => {
      process.stderr.write("Parley: stopped at once.\n");
      process.exit(130);
    });
    await server.stop();
    setTimeout(() => process.exit(process.exitCode ?? 0), EXIT_GRACE_MS).unref();
  },
};

const nextSignal = () =>
  new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      done();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
