// CPU time the benchmark charges to a server: its process's, read from /proc (Linux), and on
// PostgreSQL every process of the cluster's; and, from a V8 CPU profile, the share of a process's
// main thread spent in PGlite (embedded storage runs inside the server's own thread).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const MICROS_PER_TICK = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

/** utime + stime of one process in µs, and its parent; undefined once it is gone. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After "pid (command) ": state, ppid, … utime (14th field), stime (15th).
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), micros: (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK };
  } catch {
    return undefined;
  }
}

/** CPU µs used so far by `pid`. */
export const processMicros = (pid) => stat(pid)?.micros ?? 0;

/** The postmaster and its children (backends, writers, autovacuum): pid → CPU µs so far. */
export function clusterMicros(postmaster) {
  const out = new Map([[postmaster, processMicros(postmaster)]]);
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s?.ppid === postmaster) out.set(Number(name), s.micros);
  }
  return out;
}

/**
 * CPU µs between two cluster snapshots. A process that ended in between is left out (a pool's idle
 * connection closing; also an autovacuum worker that ran and ended within, whose work is missed).
 */
export function clusterDelta(before, after) {
  let sum = 0;
  for (const [pid, micros] of after) sum += micros - (before.get(pid) ?? 0);
  return sum;
}

/** The share of a .cpuprofile's busy samples (not idle) whose frame is PGlite's JavaScript or WebAssembly. */
export function pgliteShare(profilePath) {
  const profile = JSON.parse(readFileSync(profilePath, "utf8"));
  let busy = 0;
  let pglite = 0;
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    if (functionName === "(idle)") continue;
    busy += node.hitCount ?? 0;
    if (url.includes("@electric-sql/pglite") || url.startsWith("wasm://")) pglite += node.hitCount ?? 0;
  }
  return busy ? pglite / busy : 0;
}
