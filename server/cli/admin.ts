// How `app`, `key` and `doctor` reach the operator API. Always the same routes, over one of three
// ways, so the CLI and the API cannot drift apart:
//   --server URL (with PARLEY_ADMIN_TOKEN)   a remote server, PostgreSQL deployments included;
//   a running server holds the data folder   its owner-only Unix socket (no token: the file's
//                                            permissions are the authentication);
//   otherwise                                storage opened here (locked), the API run in-process.
import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { ADMIN_SOCKET, readEnv, type Env } from "../config.ts";
import { UserError } from "../secrets.ts";
import { FolderHeld, folderHolder, type Holder } from "../storage/folder-lock.ts";
import { warn, type Options, type Values } from "./command.ts";

export const ADMIN_OPTIONS = { server: { type: "string" } } satisfies Options;

export interface Admin {
  /** The JSON answer of a 2xx; anything else becomes a UserError carrying the server's sentence. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Runs `fn` with the operator API, reached the right way, and closes what it opened. */
export async function withAdmin<T>(values: Values, command: string, writes: boolean, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = await openAdmin(values, command, writes);
  try {
    return await fn(admin);
  } finally {
    await admin.close();
  }
}

type Send = (method: string, path: string, body: string | undefined) => Promise<{ status: number; text: string }>;

/** `writes`: whether the command may create the data folder (a read has nothing to read without one). */
async function openAdmin(values: Values, command: string, writes: boolean): Promise<Admin> {
  const env = readEnv();
  if (typeof values.server === "string") return remote(values.server, env);
  if (!env.databaseUrl) {
    if (!writes && !existsSync(join(env.dataDir, "db"))) {
      throw new UserError(`There is no data folder at ${env.dataDir}, so nothing is set up here yet: set PARLEY_DATA_DIR to the folder \`parley serve\` uses, or create an app first.`);
    }
    const holder = folderHolder(env.dataDir);
    if (holder) return throughSocket(env, holder);
  }
  try {
    return await direct(env, command);
  } catch (err) {
    // A server took the folder between our look and our open: go through it.
    if (err instanceof FolderHeld) return throughSocket(env, err.holder);
    throw err;
  }
}

async function direct(env: Env, command: string): Promise<Admin> {
  // Imported here: the socket and remote ways never load storage or the API (a quick answer).
  const [{ openStore }, { createApi }, { localOperator }, { silentLogger }] = await Promise.all([
    import("../storage/open.ts"),
    import("../http/api.ts"),
    import("../http/local-operator.ts"),
    import("../log.ts"),
  ]);
  const opened = await openStore(env, command);
  if (opened.created) warn(`created the data folder ${env.dataDir}.`);
  const api = createApi({ store: opened.store, log: silentLogger });
  const send: Send = async (method, path, body) => {
    const res = await api.fetch(new Request(`http://parley.local${path}`, { method, body, headers: body ? { "content-type": "application/json" } : {} }), localOperator());
    return { status: res.status, text: await res.text() };
  };
  return client(send, "", opened.close);
}

function throughSocket(env: Env, holder: Holder): Admin {
  const socketPath = join(env.dataDir, ADMIN_SOCKET);
  const held = `The data folder ${env.dataDir} is in use by process ${holder.pid} (parley ${holder.command})`;
  if (holder.command !== "serve" || !existsSync(socketPath)) {
    throw new UserError(`${held}, which takes no administration: wait for it to finish, or stop it, then try again.`);
  }
  const send: Send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ socketPath, path, method, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      });
      req.on("error", (err) => reject(new UserError(`${held}, and its admin socket ${socketPath} did not answer (${(err as NodeJS.ErrnoException).code ?? err.message}).`)));
      req.end(body);
    });
  return client(send, "", async () => {});
}

function remote(server: string, env: Env): Admin {
  let base: URL;
  try {
    base = new URL(server);
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error();
  } catch {
    throw new UserError(`--server must be the server's http(s) URL, such as https://chat.example.com, not "${server}".`);
  }
  if (!env.adminToken) throw new UserError("--server needs the operator token in PARLEY_ADMIN_TOKEN (the one that server was started with).");
  const send: Send = async (method, path, body) => {
    try {
      const res = await fetch(new URL(path, base), { method, body, headers: { authorization: `Bearer ${env.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) } });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message;
      throw new UserError(`Could not reach ${base.origin}${why ? ` (${why})` : ""}: is the server running there?`);
    }
  };
  return client(send, ` (${base.origin})`, async () => {});
}

function client(send: Send, where: string, close: () => Promise<void>): Admin {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(method, path, body === undefined ? undefined : JSON.stringify(body));
      let json: { error?: { message?: string } } | undefined;
      try {
        json = JSON.parse(res.text);
      } catch {
        /* not JSON: a proxy's page, say */
      }
      if (res.status >= 200 && res.status < 300 && json) return json as T;
      throw new UserError(`${json?.error?.message ?? `The server answered HTTP ${res.status}.`}${where}`);
    },
    close,
  };
}
