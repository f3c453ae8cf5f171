// Writes one benchmark's section into BENCHMARKS.md, between its own markers, leaving the rest
// of the file (other sections, and the prose reading them) as it is.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FILE = "BENCHMARKS.md";

/** @param {string} name @param {string} markdown */
export function writeSection(name, markdown) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${begin}\n${markdown}\n${end}`;
  const old = existsSync(FILE) ? readFileSync(FILE, "utf8") : "# Benchmarks\n\nEvery figure here is written by the command named beside it; rerun it to refresh.\n";
  const at = old.indexOf(begin);
  const until = old.indexOf(end);
  const next = at >= 0 && until > at ? old.slice(0, at) + section + old.slice(until + end.length) : old.trimEnd() + "\n\n" + section + "\n";
  writeFileSync(FILE, next);
  console.log(`\nwrote ${FILE}`);
}

/** Every folder a benchmark makes, removed when its process exits. */
const scratches = [];
/** A new folder under the system's temporary folder, named from `prefix`. */
export function scratch(prefix) {
  scratches.push(mkdtempSync(join(tmpdir(), prefix)));
  return scratches.at(-1);
}
process.on("exit", () => {
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});
