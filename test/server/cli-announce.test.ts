// `parley announce` and `parley announcements` in-process (the source), on both storages: publish
// for everyone or for an audience (--audience repeated, one attribute each), list with audience
// and reach; flags checked before anything is sent, in one sentence naming the flag; and, while a
// server holds the data folder, through its socket — the widget sees the announcement at once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEnv } from "../../server/config.ts";
import { silentLogger } from "../../server/log.ts";
import { signPayload } from "../../server/sign.ts";
import { parley, useCliEnv } from "../support/cli.ts";

useCliEnv("parley-announce-");

describe("parley announce and parley announcements", () => {
  it("publishes for everyone or for an audience, and lists newest first with audience and reads", async () => {
    const { appId } = (await parley("app", "create", "--name", "News", "--origin", "https://news.example")).json;
    const all = await parley("announce", "--app", appId, "--title", "  Dark mode  ", "--body", "It is here.\n\nTry it: https://news.example/dark");
    expect([all.code, all.stderr]).toEqual([0, ""]);
    expect(all.json).toEqual({ appId, announcementId: expect.stringMatching(/^ann_/), title: "Dark mode", body: "It is here.\n\nTry it: https://news.example/dark", audience: null, publishedAt: expect.any(String), reads: 0 });
    const paid = await parley("announce", "--app", appId, "--title", "SSO", "--body", "For teams.", "--audience", "plan=pro, enterprise", "--audience", "company=acme");
    expect(paid.json.audience).toEqual({ plan: ["pro", "enterprise"], company: ["acme"] });
    const list = await parley("announcements", "--app", appId);
    expect(list.code).toBe(0);
    const listed = ({ appId: _, ...announcement }: Record<string, unknown>) => announcement;
    expect(list.json).toEqual({ appId, announcements: [listed(paid.json), listed(all.json)] });
  }, 60_000);

  it("bad flags are one sentence naming the flag, and nothing is published", async () => {
    const { appId } = (await parley("app", "create", "--name", "Flags")).json;
    for (const [flags, message] of [
      [["--title", "T"], "--body is required.\nusage: parley announce --app ID --title T --body B [--audience NAME=VALUE[,VALUE…]]... [--server URL]"],
      [["--body", "B"], "--title is required.\nusage: parley announce --app ID --title T --body B [--audience NAME=VALUE[,VALUE…]]... [--server URL]"],
      [["--title", " ", "--body", "B"], "--title must be 1 to 200 characters, with no control characters."],
      [["--title", "T", "--body", "B", "--audience", "plan"], '--audience must be NAME=VALUE[,VALUE…], such as plan=pro,enterprise, not "plan".'],
      [["--title", "T", "--body", "B", "--audience", "=pro"], '--audience must be NAME=VALUE[,VALUE…], such as plan=pro,enterprise, not "=pro".'],
      [["--title", "T", "--body", "B", "--audience", "plan=pro,"], "--audience plan=pro, has an empty value: list values separated by commas, such as plan=pro,enterprise."],
      [["--title", "T", "--body", "B", "--audience", "plan=pro", "--audience", "plan=free"], '--audience names "plan" twice: give its values once, such as plan=pro,enterprise.'],
      [["--title", "T", "--body", " "], "body must not be empty"],
    ] as const) {
      const res = await parley("announce", "--app", appId, ...flags);
      expect([res.code, res.stdout, res.stderr]).toEqual([2, "", `parley: ${message}\n`]);
    }
    expect((await parley("announcements", "--app", appId)).json.announcements).toEqual([]);
    expect((await parley("announce", "--app", "app_nope", "--title", "T", "--body", "B")).stderr).toBe('parley: No app "app_nope".\n');
    expect((await parley("announcements")).stderr).toBe("parley: --app is required.\nusage: parley announcements --app ID [--server URL]\n");
  }, 60_000);
});

describe("while a server runs", () => {
  it("announce goes through the server's socket, and the widget's query sees it at once", async () => {
    const folder = join(mkdtempSync(join(tmpdir(), "parley-announce-live-")), "data");
    const before = { dir: process.env.PARLEY_DATA_DIR, url: process.env.DATABASE_URL };
    process.env.PARLEY_DATA_DIR = folder;
    delete process.env.DATABASE_URL;
    const { startServer } = await import("../../server/lifecycle.ts");
    const server = await startServer({ env: readEnv(), port: 0, host: "127.0.0.1", log: silentLogger });
    try {
      const { appId } = (await parley("app", "create", "--name", "Live", "--origin", "https://live.example")).json;
      const key = (await parley("key", "create", "--app", appId, "--proof", "payload")).json;
      await parley("announce", "--app", appId, "--title", "For everyone", "--body", "Hello.");
      await parley("announce", "--app", appId, "--title", "For Pro", "--body", "Hello, Pro.", "--audience", "plan=pro");
      const ask = async (identity?: unknown) => {
        const res = await fetch(`${server.url}/v1/apps/${appId}/announcements/query`, {
          method: "POST",
          headers: { "content-type": "text/plain", origin: "https://live.example" },
          body: JSON.stringify({ visitorId: "v_live_visitor", identity }),
        });
        return ((await res.json()) as { announcements: { title: string }[] }).announcements.map((a) => a.title);
      };
      expect(await ask()).toEqual(["For everyone"]);
      expect(await ask(signPayload(key.secret, { id: "u_ada", plan: "pro" }))).toEqual(["For Pro", "For everyone"]);
    } finally {
      await server.stop();
      process.env.PARLEY_DATA_DIR = before.dir;
      if (before.url) process.env.DATABASE_URL = before.url;
      rmSync(join(folder, ".."), { recursive: true, force: true });
    }
  }, 60_000);
});
