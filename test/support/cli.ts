// The `parley` CLI run in-process, as the tests of its commands use it: a data folder of its own
// (and the suite's PostgreSQL under server-pg), and each call's exit code, stdout, stderr and JSON.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import { main } from "../../server/cli/main.ts";
import { testDatabaseUrl } from "./database.ts";

/** Points PARLEY_DATA_DIR at a fresh folder (and DATABASE_URL at the suite's) for this file; undone after it. */
export function useCliEnv(prefix: string): { dir: () => string } {
  let dir = "";
  const saved = { ...process.env };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    process.env.PARLEY_DATA_DIR = dir;
    const url = await testDatabaseUrl();
    if (url) process.env.DATABASE_URL = url;
    else delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir: () => dir };
}

/** One `parley …` call: its exit code, what it wrote, and stdout read as JSON when there is any. */
export async function parley(...argv: string[]) {
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
