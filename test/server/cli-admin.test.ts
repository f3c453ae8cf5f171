// `parley app …` and `parley key …` in-process (the source, not dist/), on both storages:
// key kinds (--proof), app list and app update (--origin, --mode, --hints), and plain-sentence
// errors for bad flags. JSON on stdout; one sentence on stderr and a non-zero exit for errors.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../server/cli/main.ts";
import { testDatabaseUrl } from "../support/database.ts";

let dir: string;
const saved = { ...process.env };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-cli-"));
  process.env.PARLEY_DATA_DIR = dir;
  const url = await testDatabaseUrl();
  if (url) process.env.DATABASE_URL = url;
  else delete process.env.DATABASE_URL;
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

async function parley(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr, json: stdout ? JSON.parse(stdout) : undefined };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

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
