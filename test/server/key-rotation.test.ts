// Key rotation without downtime, as the README tells an operator to do it: with `parley serve`
// running, create a second key through the CLI; both verify; revoke the first; it fails on the very
// next request. No restart anywhere. On embedded storage the CLI goes through the server's admin
// socket (the server keeps the folder); on PostgreSQL it opens the database; `--server` with the
// operator token works on both. Runs the built CLI and server as real processes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cli, startServer, type ServerProcess } from "../../scripts/server-process.js";
import { userHash } from "../../server/sign.ts";
import { folderHolder } from "../../server/storage/folder-lock.ts";
import { testDatabaseUrl } from "../support/database.ts";

let env: Record<string, string>;
let server: ServerProcess;
let appId: string;
const ADMIN = "rotation-admin-token";

beforeAll(async () => {
  env = { PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "parley-rotate-")), DATABASE_URL: (await testDatabaseUrl()) ?? "", PARLEY_ADMIN_TOKEN: ADMIN };
  appId = cli(["app", "create", "--name", "Rotation", "--origin", "https://shop.example"], env).appId;
  server = await startServer(env);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(env.PARLEY_DATA_DIR!, { recursive: true, force: true });
});

type Key = { keyId: string; secret: string };

/** What the server says about a visitor signed with `key`, on a fresh request. */
async function verdictWith(key: Key) {
  const userId = "user-rotating-1";
  const res = await fetch(`${server.url}/v1/apps/${appId}/conversation`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://shop.example" },
    body: JSON.stringify({ visitorId: "v_rotation_1", identity: { userId, userHash: userHash(key.secret, userId) } }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { identity: { status: string; reason?: string } }).identity;
}

it("a key created while serving verifies at once; a revoked one fails on the next request; no restart", async () => {
  const first: Key = cli(["key", "create", "--app", appId], env);
  expect(await verdictWith(first)).toEqual({ status: "verified", userId: "user-rotating-1" });

  const second: Key = cli(["key", "create", "--app", appId], env);
  expect(await verdictWith(second)).toEqual({ status: "verified", userId: "user-rotating-1" });
  expect(await verdictWith(first)).toEqual({ status: "verified", userId: "user-rotating-1" });

  expect(cli(["key", "revoke", "--app", appId, "--key", first.keyId], env)).toEqual({ keyId: first.keyId, revoked: true });
  expect(await verdictWith(first)).toMatchObject({ status: "rejected", reason: "revoked_key" });
  expect(await verdictWith(second)).toEqual({ status: "verified", userId: "user-rotating-1" });

  const keys = cli(["key", "list", "--app", appId], env).keys as { keyId: string; revokedAt: string | null }[];
  expect(keys.map((k) => [k.keyId, k.revokedAt !== null])).toEqual([
    [first.keyId, true],
    [second.keyId, false],
  ]);
  // The server kept the folder all along (the CLI never opened it beside the server).
  if (!env.DATABASE_URL) expect(folderHolder(env.PARLEY_DATA_DIR!)).toMatchObject({ pid: server.proc.pid, command: "serve" });
}, 60_000);

it("--server with the operator token administers the same server remotely", async () => {
  const remote = (args: string[]) => cli([...args, "--server", server.url], env);
  const third: Key = remote(["key", "create", "--app", appId, "--proof", "hash"]);
  expect(await verdictWith(third)).toEqual({ status: "verified", userId: "user-rotating-1" });
  remote(["key", "revoke", "--app", appId, "--key", third.keyId]);
  expect(await verdictWith(third)).toMatchObject({ status: "rejected", reason: "revoked_key" });
  expect(remote(["app", "list"]).apps.map((a: { appId: string }) => a.appId)).toContain(appId);
  expect(() => cli(["app", "list", "--server", server.url], { ...env, PARLEY_ADMIN_TOKEN: "wrong" })).toThrow(/A valid operator token is required\. \(http:\/\/127\.0\.0\.1:\d+\)/);
}, 60_000);
