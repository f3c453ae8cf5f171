// The data folder holds every message and the encrypted keys: owner-only, and so is everything
// PGlite writes in it — even when the folder existed beforehand, open to others, and the process
// runs under umask 0 (found: database files 0666).
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { readEnv } from "../../server/config.ts";
import { openStore } from "../../server/storage/open.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function modes(dir: string): [string, number][] {
  const out: [string, number][] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    out.push([path, stat.mode & 0o777]);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

it("an existing world-readable folder and what PGlite writes into it end up owner-only", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-perm-"));
  dirs.push(dir);
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "left-by-an-old-release.json"), "{}", { mode: 0o666 });
  chmodSync(join(dir, "left-by-an-old-release.json"), 0o666);
  const previous = process.umask(0);
  try {
    const { store, close } = await openStore(readEnv({ PARLEY_DATA_DIR: dir }), "test");
    // While serving (a kill -9 leaves the folder like this)…
    expect(modes(dir).filter(([, mode]) => (mode & 0o077) !== 0)).toEqual([]);
    await store.createApp("perm", [], "required");
    await close();
  } finally {
    process.umask(previous);
  }
  // …and at rest, with whatever PGlite wrote while serving.
  const open = modes(dir).filter(([, mode]) => (mode & 0o077) !== 0);
  expect(open).toEqual([]);
  expect(modes(dir).length).toBeGreaterThan(10);
}, 60_000);
