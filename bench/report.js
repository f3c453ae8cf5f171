// Writes one benchmark's section into BENCHMARKS.md, between its own markers, leaving the rest
// of the file (other sections, and the prose reading them) as it is.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

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
