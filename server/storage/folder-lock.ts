// One owner per data folder. PGlite takes no lock of its own, and two processes opening one folder
// corrupt it, so whatever opens embedded storage takes this lock first — before touching a file.
//
// The lock is a file created atomically (link(2) of a fully written file: it exists whole or not
// at all) naming its holder: pid, and on Linux the process's start time, so a pid reused after a
// crash (a container restarted, pid 1 again) is not taken for the old holder. A lock whose holder
// is gone is taken over under a second, short-lived lock, re-read before it is removed, so two
// processes starting at once after a crash cannot both take it.
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LOCK_FILE = "parley.lock";

export interface Holder {
  pid: number;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  start?: string;
  since: string;
  /** What holds it: "serve", "key create", … */
  command: string;
}

export interface FolderLock {
  readonly file: string;
  release(): void;
}

/** The folder is held by a live process: `holder` says which. */
export class FolderHeld extends Error {
  constructor(
    readonly dir: string,
    readonly holder: Holder,
  ) {
    super(`The data folder ${dir} is in use by process ${holder.pid} (parley ${holder.command}, since ${holder.since}).`);
  }
}

/** Locks held by this process, so a lock naming our own pid is told apart from a stale one. */
const ours = new Set<string>();

/** Takes the folder's lock, or throws FolderHeld naming the live process that has it. */
export function lockFolder(dir: string, command: string): FolderLock {
  const file = join(dir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, start: startTime(process.pid), since: new Date().toISOString(), command } satisfies Holder);
  const candidate = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
  writeFileSync(candidate, mine + "\n", { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        linkSync(candidate, file);
        ours.add(file);
        return { file, release: () => release(file, mine) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const seen = readText(file);
      if (seen === undefined) continue; // released meanwhile: try again
      const holder = parseHolder(seen);
      if (holder && isAlive(holder, file)) throw new FolderHeld(dir, holder);
      removeStale(file, seen);
    }
    throw new Error(`could not take the lock on ${dir}: other processes keep taking it`);
  } finally {
    unlinkSync(candidate);
  }
}

/** Who holds the folder now, if a live process does (read only: takes nothing). */
export function folderHolder(dir: string): Holder | undefined {
  const file = join(dir, LOCK_FILE);
  const text = readText(file);
  const holder = text === undefined ? undefined : parseHolder(text);
  return holder && isAlive(holder, file) ? holder : undefined;
}

function release(file: string, mine: string) {
  ours.delete(file);
  // Only our own lock: never one a later owner took over (we were presumed dead, say).
  if (readText(file)?.trim() === mine) unlinkSync(file);
}

/**
 * Removes a stale lock — only while holding the takeover lock, and only if it is still the one
 * judged stale: a process that read the same stale lock a moment ago must not remove the lock its
 * rival has just taken. A takeover lock left by a process killed in those few microseconds is
 * itself stale after TAKEOVER_STALE_MS. Exported for its test: the race it closes is too narrow
 * to hit on purpose from outside.
 */
export function removeStale(file: string, seen: string) {
  const takeover = `${file}.takeover`;
  try {
    mkdirSync(takeover, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    if (ageMs(takeover) > TAKEOVER_STALE_MS) rmdirQuietly(takeover);
    sleep(20);
    return;
  }
  try {
    if (readText(file) === seen) unlinkSync(file);
  } finally {
    rmdirQuietly(takeover);
  }
}

const TAKEOVER_STALE_MS = 10_000;

function isAlive(holder: Holder, file: string): boolean {
  // Our own pid: ours only if this process took it (a restarted container reuses low pids).
  if (holder.pid === process.pid) return ours.has(file);
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(holder.pid);
  // A zombie (killed, not yet reaped: common under a container's init) holds nothing.
  if (stat?.state === "Z" || stat?.state === "X") return false;
  return !(holder.start && stat && stat.start !== holder.start);
}

const startTime = (pid: number) => procStat(pid)?.start;

/** A process's state and start time (Linux: /proc/PID/stat, fields 3 and 22); undefined where there is no /proc. */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (Number.isInteger(value.pid) && (value.pid as number) > 0) return { pid: value.pid!, start: value.start, since: String(value.since ?? "?"), command: String(value.command ?? "?") };
  } catch {
    /* unreadable: nobody can be named, so nobody holds it */
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function rmdirQuietly(path: string) {
  try {
    rmdirSync(path);
  } catch {
    /* gone already */
  }
}

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
