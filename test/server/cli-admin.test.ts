// `parley app …` and `parley key …` in-process (the source, not dist/), on both storages:
// key kinds (--proof), app list and app update (--origin, --mode, --hints), and plain-sentence
// errors for bad flags. JSON on stdout; one sentence on stderr and a non-zero exit for errors.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEnv } from "../../server/config.ts";
import { silentLogger } from "../../server/log.ts";
import { folderHolder } from "../../server/storage/folder-lock.ts";
import { parley, useCliEnv } from "../support/cli.ts";

useCliEnv("parley-cli-");

describe("parley app and key", () => {
  it("creates keys of each kind, lists their kinds, refuses any other kind", async () => {
    const app = await parley("app", "create", "--name", "Shop", "--origin", "https://shop.example");
    expect(app.code).toBe(0);
    const appId = app.json.appId;
    const hash = await parley("key", "create", "--app", appId);
    expect(hash.json).toMatchObject({ appId, proof: "hash", secret: expect.stringMatching(/^pk_/) });
    const token = await parley("key", "create", "--app", appId, "--proof", "token");
    expect(token.json.proof).toBe("token");
    expect(token.json.note).toMatch(/signs token proofs only/);
    const jwt = await parley("key", "create", "--app", appId, "--proof", "jwt");
    expect(jwt.code).toBe(2);
    expect(jwt.stderr).toBe('parley: --proof must be one of hash, payload, token, not "jwt": a key signs one kind of proof.\n');
    const list = await parley("key", "list", "--app", appId);
    expect(list.json.keys.map((k: { proof: string }) => k.proof)).toEqual(["hash", "token"]);
    expect(list.stdout).not.toContain(hash.json.secret);
  }, 60_000);

  it("app update changes origins, mode and hints; app list shows them", async () => {
    const { appId } = (await parley("app", "create", "--name", "Blog")).json;
    const updated = await parley("app", "update", "--app", appId, "--hints", "on", "--mode", "optional", "--origin", "https://blog.example/some/page");
    expect(updated.json).toEqual({ appId, name: "Blog", mode: "optional", origins: ["https://blog.example"], hints: true });
    const list = await parley("app", "list");
    expect(list.json.apps).toContainEqual({ appId, name: "Blog", mode: "optional", origins: ["https://blog.example"], hints: true });
    for (const [flags, message] of [
      [["--hints", "yes"], '--hints must be "on" or "off", not "yes".'],
      [["--mode", "sometimes"], '--mode must be "required" or "optional", not "sometimes".'],
      [[], "app update needs at least one of --name, --origin, --mode or --hints."],
    ] as const) {
      const res = await parley("app", "update", "--app", appId, ...flags);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(`parley: ${message}\n`);
      expect(res.stdout).toBe("");
    }
    expect((await parley("app", "update", "--app", "app_nope", "--hints", "on")).stderr).toBe('parley: No app "app_nope".\n');
  }, 60_000);
});

describe("where the CLI finds storage", () => {
  const embedded = async <T>(fn: (dir: string) => Promise<T>) => {
    const dir = join(mkdtempSync(join(tmpdir(), "parley-where-")), "data");
    const before = { dir: process.env.PARLEY_DATA_DIR, url: process.env.DATABASE_URL };
    process.env.PARLEY_DATA_DIR = dir;
    delete process.env.DATABASE_URL;
    try {
      return await fn(dir);
    } finally {
      process.env.PARLEY_DATA_DIR = before.dir;
      if (before.url) process.env.DATABASE_URL = before.url;
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  };

  it("a read where no data folder exists says so, and creates nothing; the first write says which folder it created", async () => {
    await embedded(async (dir) => {
      for (const args of [["app", "list"], ["key", "list", "--app", "app_x"], ["doctor", "--app", "app_x", "--token", "t"]]) {
        const res = await parley(...args);
        expect(res.code).toBe(2);
        expect(res.stderr).toBe(`parley: There is no data folder at ${dir}, so nothing is set up here yet: set PARLEY_DATA_DIR to the folder \`parley serve\` uses, or create an app first.\n`);
        expect(existsSync(dir)).toBe(false);
      }
      const created = await parley("app", "create", "--name", "First", "--origin", "https://first.example");
      expect(created.code).toBe(0);
      expect(created.stderr).toBe(`parley: created the data folder ${dir}.\n`);
      expect((await parley("app", "list")).stderr).toBe("");
    });
  }, 60_000);

  it("while a server holds the folder, commands go through its socket and take effect at once", async () => {
    await embedded(async (dir) => {
      const { startServer } = await import("../../server/lifecycle.ts");
      const server = await startServer({ env: readEnv(), port: 0, host: "127.0.0.1", log: silentLogger });
      try {
        const app = (await parley("app", "create", "--name", "Live", "--origin", "https://live.example")).json;
        // The server itself knows the app at once: it answers a visitor of it.
        const res = await fetch(`${server.url}/v1/apps/${app.appId}/conversation`, { method: "POST", headers: { "content-type": "application/json", origin: "https://live.example" }, body: JSON.stringify({ visitorId: "v_live_visitor" }) });
        expect(res.status).toBe(200);
        const key = (await parley("key", "create", "--app", app.appId, "--proof", "payload")).json;
        expect((await parley("key", "list", "--app", app.appId)).json.keys.map((k: { keyId: string }) => k.keyId)).toEqual([key.keyId]);
        // The folder stayed the server's: nothing opened it beside the server.
        expect(folderHolder(dir)).toMatchObject({ pid: process.pid, command: "serve" });
        const migrate = await parley("migrate");
        expect(migrate.json).toEqual({ ok: true, storage: "embedded", note: `Process ${process.pid} (parley serve) holds ${dir} and migrated it when it opened it.` });
      } finally {
        await server.stop();
      }
      expect(folderHolder(dir)).toBeUndefined();
    });
  }, 60_000);

  it("--server needs the token and an http(s) URL; a server that is not there is named", async () => {
    const saved = process.env.PARLEY_ADMIN_TOKEN;
    delete process.env.PARLEY_ADMIN_TOKEN;
    try {
      expect((await parley("app", "list", "--server", "http://127.0.0.1:9")).stderr).toBe("parley: --server needs the operator token in PARLEY_ADMIN_TOKEN (the one that server was started with).\n");
      process.env.PARLEY_ADMIN_TOKEN = "t";
      expect((await parley("app", "list", "--server", "ftp://x")).stderr).toBe('parley: --server must be the server\'s http(s) URL, such as https://chat.example.com, not "ftp://x".\n');
      // A port nothing listens on: taken, then given back.
      const free = createServer();
      await new Promise<void>((r) => free.listen(0, "127.0.0.1", r));
      const port = (free.address() as { port: number }).port;
      await new Promise((r) => free.close(r));
      const down = await parley("app", "list", "--server", `http://127.0.0.1:${port}`);
      expect(down.code).toBe(2);
      expect(down.stderr).toBe(`parley: Could not reach http://127.0.0.1:${port} (ECONNREFUSED): is the server running there?\n`);
    } finally {
      if (saved === undefined) delete process.env.PARLEY_ADMIN_TOKEN;
      else process.env.PARLEY_ADMIN_TOKEN = saved;
    }
  });

  it("an unknown option or command is one sentence with the usage", async () => {
    const res = await parley("key", "list", "--ap", "x");
    expect([res.code, res.stdout]).toEqual([2, ""]);
    expect(res.stderr).toBe("parley: Unknown option --ap.\nusage: parley key list --app ID [--server URL]\n");
    const serve = await parley("serve", "--demo");
    expect(serve.stderr).toBe("parley: The demo has its own entry now: run `npm start` in a checkout of Parley (it starts this server beside the demo site).\n");
    const unknown = await parley("key", "rotate");
    expect(unknown.stderr).toMatch(/^parley: Unknown command "key rotate"\.\nusage:\n {2}parley serve/);
  });
});
