// One owner per data folder: a second opener is refused, naming the holder, before touching a
// file; a lock whose holder is gone (dead, a zombie, or its pid reused) is taken over; and when
// many processes race for a stale lock, never two hold it at once.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FolderHeld, LOCK_FILE, folderHolder, lockFolder, removeStale } from "../../server/storage/folder-lock.ts";

const dirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-lock-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid that is certainly not running: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

const writeLock = (dir: string, holder: object) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));

describe("lockFolder", () => {
  it("a second opener is refused with a sentence naming the folder, the process and the command", () => {
    const dir = folder();
    const lock = lockFolder(dir, "serve");
    try {
      expect(() => lockFolder(dir, "key create")).toThrow(FolderHeld);
      try {
        lockFolder(dir, "key create");
      } catch (err) {
        expect((err as FolderHeld).holder).toMatchObject({ pid: process.pid, command: "serve" });
        expect((err as Error).message).toMatch(new RegExp(`^The data folder ${dir} is in use by process ${process.pid} \\(parley serve, since .+\\)\\.$`));
      }
      expect(folderHolder(dir)).toMatchObject({ pid: process.pid, command: "serve" });
      // Nothing was left behind by the refused attempt (no candidate files).
      expect(readdirSync(dir).sort()).toEqual([LOCK_FILE]);
    } finally {
      lock.release();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(folderHolder(dir)).toBeUndefined();
    lockFolder(dir, "serve").release();
  });

  it("a lock left by a process that is gone is taken over", () => {
    const dir = folder();
    writeLock(dir, { pid: deadPid(), since: "2026-01-01T00:00:00Z", command: "serve" });
    expect(folderHolder(dir)).toBeUndefined();
    const lock = lockFolder(dir, "serve");
    expect(JSON.parse(readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid, command: "serve" });
    lock.release();
  });

  it("a live pid that started at another time (reused after a crash) holds nothing", () => {
    const dir = folder();
    // The parent of this test runner is alive; its start time is not "1".
    writeLock(dir, { pid: process.ppid, start: "1", since: "2026-01-01T00:00:00Z", command: "serve" });
    expect(folderHolder(dir)).toBeUndefined();
    lockFolder(dir, "serve").release();
    // The same pid with its real start time does hold it.
    const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    writeLock(dir, { pid: process.ppid, start: stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19], since: "x", command: "serve" });
    expect(() => lockFolder(dir, "migrate")).toThrow(FolderHeld);
  });

  it("our own pid in a lock this process did not take is stale (a restarted container reuses pid 1)", () => {
    const dir = folder();
    writeLock(dir, { pid: process.pid, since: "2026-01-01T00:00:00Z", command: "serve" });
    const lock = lockFolder(dir, "serve");
    expect(() => lockFolder(dir, "serve")).toThrow(FolderHeld);
    lock.release();
  });

  it("an unreadable lock names nobody and is taken over", () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), "{half a JSO");
    lockFolder(dir, "serve").release();
  });

  it("release removes only its own lock, never one another process took over since", () => {
    const dir = folder();
    const lock = lockFolder(dir, "serve");
    const successor = JSON.stringify({ pid: process.ppid, since: "later", command: "serve" });
    writeFileSync(lock.file, successor);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(successor);
  });
});

describe("taking over a stale lock", () => {
  it("removes the lock only if it is still the stale one that was read (a rival may have taken it since)", () => {
    const dir = folder();
    const file = join(dir, LOCK_FILE);
    const stale = JSON.stringify({ pid: deadPid(), since: "then", command: "serve" });
    const rivals = JSON.stringify({ pid: process.ppid, since: "now", command: "serve" });
    writeFileSync(file, rivals);
    removeStale(file, stale);
    expect(readFileSync(file, "utf8")).toBe(rivals);
    writeFileSync(file, stale);
    removeStale(file, stale);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.takeover`)).toBe(false);
  });

  it("waits while another process is taking over; a takeover lock older than 10 s is cleared", () => {
    const dir = folder();
    const file = join(dir, LOCK_FILE);
    const stale = JSON.stringify({ pid: deadPid(), since: "then", command: "serve" });
    writeFileSync(file, stale);
    mkdirSync(`${file}.takeover`);
    removeStale(file, stale);
    expect(readFileSync(file, "utf8")).toBe(stale);
    expect(existsSync(`${file}.takeover`)).toBe(true);
    const old = new Date(Date.now() - 11_000);
    utimesSync(`${file}.takeover`, old, old);
    removeStale(file, stale);
    expect(existsSync(`${file}.takeover`)).toBe(false);
    lockFolder(dir, "serve").release();
  });
});

describe("racing for a stale lock", () => {
  it("eight processes at once: whoever holds it, holds it alone", async () => {
    const dir = folder();
    writeLock(dir, { pid: deadPid(), since: "2026-01-01T00:00:00Z", command: "serve" });
    const chunk = readdirSync("dist/server/assets").find((f) => f.startsWith("folder-lock-"));
    expect(chunk, "the built folder-lock module (npm test builds dist/)").toBeDefined();
    const journal = join(dir, "journal");
    const go = join(dir, "go");
    // Each child: wait for the start signal, take the lock, write "in", hold it a moment, write "out", release; or say "held".
    const script = `
      import { appendFileSync, existsSync } from "node:fs";
      const { lockFolder } = await import(${JSON.stringify(join(process.cwd(), "dist/server/assets", chunk!))}).then((m) => ({ lockFolder: Object.values(m).find((f) => typeof f === "function" && f.name === "lockFolder") }));
      appendFileSync(${JSON.stringify(join(dir, "ready"))}, "x");
      while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 1));
      try {
        const lock = lockFolder(${JSON.stringify(dir)}, "race");
        appendFileSync(${JSON.stringify(journal)}, "in " + process.pid + "\\n");
        await new Promise((r) => setTimeout(r, 50));
        appendFileSync(${JSON.stringify(journal)}, "out " + process.pid + "\\n");
        lock.release();
        process.stdout.write("won");
      } catch (err) {
        process.stdout.write(err.constructor.name === "FolderHeld" || /in use by process/.test(err.message) ? "held" : "error " + err.message);
      }`;
    const children = Array.from({ length: 8 }, () => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      return new Promise<string>((resolve) => child.on("exit", () => resolve(out)));
    });
    // Released together once all are loaded and waiting, so they meet the stale lock at once.
    await vi.waitFor(() => expect(readFileSync(join(dir, "ready"), "utf8")).toHaveLength(8), { timeout: 30_000, interval: 10 });
    writeFileSync(go, "");
    const results = await Promise.all(children);
    expect(results.every((r) => r === "won" || r === "held")).toBe(true);
    expect(results.filter((r) => r === "won").length).toBeGreaterThanOrEqual(1);
    // The journal alternates in/out: no one entered while another was inside.
    const lines = readFileSync(journal, "utf8").trim().split("\n");
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]!.startsWith("in ")).toBe(true);
      expect(lines[i + 1]).toBe(lines[i]!.replace("in ", "out "));
    }
  }, 60_000);
});
