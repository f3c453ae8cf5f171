// `parley …`: JSON on stdout for results, one plain sentence on stderr and a non-zero exit for errors.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { createApi } from "./http/api.ts";
import { jsonLogger } from "./log.ts";
import { openStore, readEnv } from "./runtime.ts";
import { KEY_KINDS, type KeyKind } from "../contract/claim.ts";
import { toOrigin } from "./origins.ts";
import { hasControlCharacter } from "./text.ts";
import { UserError } from "./secrets.ts";
import { listen } from "./serve.ts";
import { createJwt, createToken, signPayload, userHash } from "./sign.ts";
import { diagnose } from "./verify/diagnose.ts";
import type { Mode } from "./verify/verify.ts";
import { startDemo } from "../demo/site.ts";

const USAGE = `usage:
  parley serve [--port N] [--host H] [--demo] [--demo-port N]
  parley migrate
  parley app create --name N [--origin URL]... [--mode required|optional]
  parley app list
  parley app update --app ID [--name N] [--origin URL]... [--mode required|optional] [--hints on|off]
  parley key create --app ID [--proof hash|payload|token]
  parley key list --app ID
  parley key revoke --app ID --key KEY
  parley doctor --app ID (--user-id U --hash H [--email E] | --payload JSON --signature S | --token T)
  parley sign --secret S (--user-id U | --payload JSON | --token --sub U --app ID [--ttl S] | --jwt --sub U --app ID [--ttl S])`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  demo: { type: "boolean" },
  "demo-port": { type: "string" },
  name: { type: "string" },
  origin: { type: "string", multiple: true },
  mode: { type: "string" },
  hints: { type: "string" },
  proof: { type: "string" },
  app: { type: "string" },
  key: { type: "string" },
  secret: { type: "string" },
  "user-id": { type: "string" },
  payload: { type: "string" },
  token: { type: "boolean" },
  jwt: { type: "boolean" },
  sub: { type: "string" },
  ttl: { type: "string" },
  hash: { type: "string" },
  email: { type: "string" },
  signature: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

// `--token` is a flag for `sign` (make one) and takes the token for `doctor` (check one).
const DOCTOR_OPTIONS = { ...OPTIONS, token: { type: "string" } } as const;
type Flags = Omit<ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"], "token"> & { token?: boolean | string };

export async function main(argv: string[]): Promise<number> {
  try {
    const options = argv[0] === "doctor" ? DOCTOR_OPTIONS : OPTIONS;
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true }) as { values: Flags; positionals: string[] };
    if (values.help || positionals.length === 0) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    const command = positionals.slice(0, positionals[0] === "app" || positionals[0] === "key" ? 2 : 1).join(" ");
    const run = COMMANDS[command];
    if (!run) throw new UserError(`Unknown command "${positionals.join(" ")}".\n${USAGE}`);
    await run(values);
    return 0;
  } catch (err) {
    const known = err instanceof UserError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`parley: ${known ? (err as Error).message : `unexpected error: ${(err as Error).message}`}\n`);
    return known ? 2 : 1;
  }
}

const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value, null, 2) + "\n");

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UserError(`--${flag} is required.\n${USAGE}`);
  return value;
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port must be a whole number from 0 to 65535, not "${value}".`);
  return n;
}

async function withStore<T>(fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(readEnv());
  try {
    return await fn(store);
  } finally {
    await store.db.close();
  }
}

async function appOf(store: Awaited<ReturnType<typeof openStore>>, id: string | undefined) {
  const app = await store.getApp(need(id, "app"));
  if (!app) throw new UserError(`No app "${id}".`);
  return app;
}

const COMMANDS: Record<string, (f: Flags) => Promise<void>> = {
  async serve(f) {
    const env = readEnv();
    const store = await openStore(env);
    const distDir = join(dirname(fileURLToPath(import.meta.url)), "..");
    const host = f.host ?? "127.0.0.1";
    const apiPort = port(f.port ?? process.env.PORT, 8787);
    const demo = f.demo ? await startDemo({ store, env, host, apiPort, sitePort: port(f["demo-port"], apiPort === 0 ? 0 : apiPort + 1) }) : undefined;
    const stopping = new AbortController();
    const api = createApi({ store, log: jsonLogger, adminToken: demo?.adminToken ?? env.adminToken, distDir, limits: env.limits, trustedProxies: env.trustedProxies, maxBodyBytes: env.maxBodyBytes, stopping: stopping.signal, serverTiming: process.env.PARLEY_SERVER_TIMING === "1" });
    const server = await listen(api, apiPort, host, env.timeouts);
    await demo?.attach(server.url);
    const lines = [`Parley API on ${server.url} (storage: ${store.db.kind}, ${env.dataDir})`];
    if (demo) lines.push(`Demo site:      ${demo.siteUrl}/`, `Operator inbox: ${demo.siteUrl}/inbox`);
    process.stderr.write(lines.join("\n") + "\n");
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    // Stop taking connections, answer long-polls now, finish every request in flight, then close storage.
    jsonLogger("info", "shutting down");
    process.stderr.write("Parley: finishing requests in flight…\n");
    stopping.abort();
    await server.close();
    await demo?.close();
    await store.db.close();
    jsonLogger("info", "stopped");
  },

  async migrate() {
    await withStore(async (store) => print({ ok: true, storage: store.db.kind }));
  },

  async "app create"(f) {
    const mode = parseMode(f.mode ?? "required");
    const origins = (f.origin ?? []).map(parseOrigin);
    const app = await withStore((store) => store.createApp(parseName(need(f.name, "name")), origins, mode));
    if (origins.length === 0) process.stderr.write("parley: warning: no --origin given, so this app accepts requests from any site.\n");
    print({ appId: app.id, name: app.name, mode: app.mode, origins: app.origins, hints: app.hints });
  },

  async "app list"() {
    print({ apps: (await withStore((store) => store.listApps())).map(({ id, ...rest }) => ({ appId: id, ...rest })) });
  },

  async "app update"(f) {
    const patch = {
      ...(f.name !== undefined ? { name: parseName(f.name) } : {}),
      ...(f.origin ? { origins: f.origin.map(parseOrigin) } : {}),
      ...(f.mode !== undefined ? { mode: parseMode(f.mode) } : {}),
      ...(f.hints !== undefined ? { hints: parseOnOff(f.hints, "hints") } : {}),
    };
    if (!Object.keys(patch).length) throw new UserError("app update needs at least one of --name, --origin, --mode or --hints.");
    const app = await withStore(async (store) => store.updateApp((await appOf(store, f.app)).id, patch));
    const { id, ...rest } = app!;
    print({ appId: id, ...rest });
  },

  async "key create"(f) {
    const proof = f.proof ?? "hash";
    if (!(KEY_KINDS as readonly string[]).includes(proof)) throw new UserError(`--proof must be one of ${KEY_KINDS.join(", ")}, not "${proof}": a key signs one kind of proof.`);
    const key = await withStore(async (store) => store.createKey((await appOf(store, f.app)).id, proof as KeyKind));
    print({ appId: f.app, ...key, note: `The secret is shown this once. Keep it on your server only. It signs ${proof} proofs only.` });
  },

  async "key list"(f) {
    print({ keys: await withStore(async (store) => store.listKeys((await appOf(store, f.app)).id)) });
  },

  async "key revoke"(f) {
    const done = await withStore(async (store) => store.revokeKey((await appOf(store, f.app)).id, need(f.key, "key")));
    if (!done) throw new UserError(`No key "${f.key}" in app "${f.app}".`);
    print({ keyId: f.key, revoked: true });
  },

  async doctor(f) {
    const claim =
      typeof f.token === "string"
        ? { token: f.token }
        : f.payload !== undefined
          ? { payload: f.payload, signature: need(f.signature, "signature") }
          : { userId: need(f["user-id"], "user-id"), userHash: need(f.hash, "hash"), ...(f.email ? { email: f.email } : {}) };
    const result = await withStore(async (store) => {
      const app = await appOf(store, f.app);
      const ctx = { appId: app.id, mode: app.mode, keys: await store.verifyKeys(app.id), now: Math.floor(Date.now() / 1000) };
      return diagnose(claim, ctx, await store.otherAppsKeys(app.id));
    });
    const { status, reason, userId, keyId } = result.verdict;
    print({ ok: result.ok, status, ...(reason ? { reason } : {}), ...(userId ? { userId } : {}), ...(keyId ? { keyId } : {}), cause: result.cause, ...(result.advice ? { advice: result.advice } : {}) });
    if (!result.ok) process.exitCode = 1;
  },

  async sign(f) {
    const secret = need(f.secret ?? process.env.PARLEY_SECRET, "secret");
    if (f["user-id"] !== undefined) return print({ userId: f["user-id"], userHash: userHash(secret, f["user-id"]) });
    if (f.payload !== undefined) {
      try {
        JSON.parse(f.payload);
      } catch {
        throw new UserError("--payload must be JSON text, for example '{\"id\":\"u_42\",\"plan\":\"pro\"}'.");
      }
      return print(signPayload(secret, f.payload));
    }
    if (f.token === true || f.jwt) {
      const ttl = f.ttl === undefined ? undefined : Number(f.ttl);
      if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0 && ttl <= 86400)) throw new UserError("--ttl must be whole seconds from 1 to 86400.");
      const opts = { sub: need(f.sub, "sub"), app: need(f.app, "app"), ttl };
      return print({ token: f.jwt ? await createJwt(secret, opts) : createToken(secret, opts) });
    }
    throw new UserError(`sign needs --user-id, --payload, --token or --jwt.\n${USAGE}`);
  },
};

function parseOrigin(value: string): string {
  const origin = toOrigin(value);
  if (!origin) throw new UserError(`--origin must be an http(s) origin such as https://example.com, not "${value}".`);
  return origin;
}

function parseName(value: string): string {
  const name = value.trim();
  if (!name || name.length > 100 || hasControlCharacter(name)) throw new UserError("--name must be 1 to 100 characters, with no control characters.");
  return name;
}

function parseMode(value: string): Mode {
  if (value !== "required" && value !== "optional") throw new UserError(`--mode must be "required" or "optional", not "${value}".`);
  return value;
}

function parseOnOff(value: string, flag: string): boolean {
  if (value !== "on" && value !== "off") throw new UserError(`--${flag} must be "on" or "off", not "${value}".`);
  return value === "on";
}
