// `parley ideas` and `parley idea status` in-process (the source), on both storages: the board
// most voted first with each idea's verified voters and attributes; a status set and shown to the
// widget; flags checked before anything is sent, in one sentence naming the flag; and, while a
// server holds the data folder, through its socket.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IdeaResponse, IdeasResponse } from "../../contract/wire.ts";
import { readEnv } from "../../server/config.ts";
import { silentLogger } from "../../server/log.ts";
import { signPayload } from "../../server/sign.ts";
import { parley, useCliEnv } from "../support/cli.ts";

useCliEnv("parley-ideas-");

const STATUS_USAGE = "usage: parley idea status --app ID --idea ID --status open|planned|in_progress|done|declined [--server URL]";

describe("while a server runs", () => {
  it("ideas lists the board with votes and voters; idea status moves one along, and the widget reads it", async () => {
    const folder = join(mkdtempSync(join(tmpdir(), "parley-ideas-live-")), "data");
    const before = { dir: process.env.PARLEY_DATA_DIR, url: process.env.DATABASE_URL };
    process.env.PARLEY_DATA_DIR = folder;
    delete process.env.DATABASE_URL;
    const { startServer } = await import("../../server/lifecycle.ts");
    const server = await startServer({ env: readEnv(), port: 0, host: "127.0.0.1", log: silentLogger });
    try {
      const { appId } = (await parley("app", "create", "--name", "Board", "--origin", "https://board.example")).json;
      const key = (await parley("key", "create", "--app", appId, "--proof", "payload")).json;
      const post = async <T>(path: string, body: Record<string, unknown>) => {
        const res = await fetch(`${server.url}/v1/apps/${appId}/${path}`, { method: "POST", headers: { "content-type": "text/plain", origin: "https://board.example" }, body: JSON.stringify({ visitorId: "v_board_visitor", ...body }) });
        return (await res.json()) as T;
      };
      const ada = signPayload(key.secret, { id: "u_ada", name: "Ada", plan: "pro" });
      const bob = signPayload(key.secret, { id: "u_bob", plan: "free" });
      const sso = (await post<IdeaResponse>("ideas", { clientId: "c_sso_idea_1", title: "SSO", identity: ada })).idea;
      const csv = (await post<IdeaResponse>("ideas", { clientId: "c_csv_idea_1", title: "CSV export", identity: bob })).idea;
      await post("ideas/" + sso.id + "/vote", { identity: bob, up: true });

      const listed = await parley("ideas", "--app", appId);
      expect([listed.code, listed.stderr]).toEqual([0, ""]);
      expect(listed.json).toEqual({
        appId,
        ideas: [
          { ideaId: sso.id, title: "SSO", body: "", status: "open", votes: 2, comments: 0, createdAt: expect.any(String), author: { type: "visitor", userId: "u_ada", name: "Ada" }, voters: [{ userId: "u_ada", attributes: { name: "Ada", plan: "pro" } }, { userId: "u_bob", attributes: { plan: "free" } }] },
          { ideaId: csv.id, title: "CSV export", body: "", status: "open", votes: 1, comments: 0, createdAt: expect.any(String), author: { type: "visitor", userId: "u_bob" }, voters: [{ userId: "u_bob", attributes: { plan: "free" } }] },
        ],
      });

      const moved = await parley("idea", "status", "--app", appId, "--idea", sso.id, "--status", "in_progress");
      expect([moved.code, moved.stderr]).toEqual([0, ""]);
      expect(moved.json).toMatchObject({ appId, ideaId: sso.id, title: "SSO", status: "in_progress", votes: 2 });
      const board = await post<IdeasResponse>("ideas/query", {});
      expect(board.ideas.map((i) => [i.title, i.status])).toEqual([["SSO", "in_progress"], ["CSV export", "open"]]);
    } finally {
      await server.stop();
      process.env.PARLEY_DATA_DIR = before.dir;
      if (before.url) process.env.DATABASE_URL = before.url;
      rmSync(join(folder, ".."), { recursive: true, force: true });
    }
  }, 60_000);
});

describe("parley ideas and parley idea status", () => {
  it("in-process on either storage: an empty board, then a status set on an idea the operator API posted", async () => {
    const { appId } = (await parley("app", "create", "--name", "Quiet")).json;
    expect((await parley("ideas", "--app", appId)).json).toEqual({ appId, ideas: [] });
    const { api, close } = await inProcessApi();
    try {
      const res = await api(`/v1/admin/apps/${appId}/ideas`, { title: "Posted by the team" });
      const ideaId = (res as { idea: { id: string } }).idea.id;
      await close();
      const moved = await parley("idea", "status", "--app", appId, "--idea", ideaId, "--status", "declined");
      expect([moved.code, moved.json.status]).toEqual([0, "declined"]);
      expect((await parley("ideas", "--app", appId)).json.ideas.map((i: { ideaId: string; status: string }) => [i.ideaId, i.status])).toEqual([[ideaId, "declined"]]);
    } finally {
      await close();
    }
  }, 60_000);

  it("bad flags are one sentence naming the flag, and nothing changes", async () => {
    const { appId } = (await parley("app", "create", "--name", "Flags")).json;
    for (const [flags, message] of [
      [["--idea", "idea_x", "--status", "done"], `--app is required.\n${STATUS_USAGE}`],
      [["--app", appId, "--status", "done"], `--idea is required.\n${STATUS_USAGE}`],
      [["--app", appId, "--idea", "idea_x"], `--status is required.\n${STATUS_USAGE}`],
      [["--app", appId, "--idea", "idea_x", "--status", "shipped"], '--status must be one of open, planned, in_progress, done, declined, not "shipped".'],
      [["--app", appId, "--idea", "idea_nope1234", "--status", "done"], `No idea "idea_nope1234" in app "${appId}".`],
      [["--app", "app_nope", "--idea", "idea_nope1234", "--status", "done"], 'No app "app_nope".'],
      [["--app", appId, "--idea", "idea_x", "--state", "done"], `Unknown option --state.\n${STATUS_USAGE}`],
    ] as const) {
      const res = await parley("idea", "status", ...flags);
      expect([res.code, res.stdout, res.stderr], flags.join(" ")).toEqual([2, "", `parley: ${message}\n`]);
    }
    expect((await parley("ideas")).stderr).toBe("parley: --app is required.\nusage: parley ideas --app ID [--server URL]\n");
    expect((await parley("ideas", "--app", "app_nope")).stderr).toBe('parley: No app "app_nope".\n');
    expect((await parley("idea", "vote")).stderr).toMatch(/^parley: Unknown command "idea vote"\./);
  }, 60_000);
});

/** The operator API on this test's storage, opened as the CLI would (for what the CLI has no command for). */
async function inProcessApi() {
  const [{ openStore }, { createApi }, { localOperator }] = await Promise.all([import("../../server/storage/open.ts"), import("../../server/http/api.ts"), import("../../server/http/local-operator.ts")]);
  const opened = await openStore(readEnv(), "test");
  const api = createApi({ store: opened.store, log: silentLogger });
  let closed = false;
  return {
    api: async (path: string, body: unknown) => (await api.fetch(new Request(`http://parley.local${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }), localOperator())).json(),
    close: async () => {
      if (!closed) await opened.close();
      closed = true;
    },
  };
}
