// `npm run test:mutation [-- area… [--stryker-option …]]`: StrykerJS on each area (all of them, or
// those named), one after another, then the score per area and overall from every area's latest
// report in reports/mutation/. Not part of `npm test`: it takes hours. See docs/mutation.md.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { AREAS } from "./mutation-areas.js";

const args = process.argv.slice(2);
// Area names first; from the first option on, everything goes to Stryker (e.g. --concurrency 1).
const firstFlag = args.findIndex((a) => a.startsWith("-"));
const named = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);
const unknown = named.find((a) => !(a in AREAS));
if (unknown) {
  process.stderr.write(`mutation: there is no area "${unknown}"; the areas are ${Object.keys(AREAS).join(", ")}.\n`);
  process.exit(2);
}

for (const area of named.length ? named : Object.keys(AREAS)) {
  process.stdout.write(`\nmutation: area ${area}\n`);
  const run = spawnSync("npx", ["stryker", "run", "stryker.config.mjs", ...flags], { stdio: "inherit", env: { ...process.env, PARLEY_MUTATION_AREA: area } });
  if (run.status !== 0) {
    process.stderr.write(`mutation: Stryker failed on area ${area} (exit ${run.status ?? run.signal}).\n`);
    process.exit(run.status || 1);
  }
}

/** Counts by status of one area's latest JSON report (mutation-testing-report-schema), or undefined. */
function counts(area) {
  const file = `reports/mutation/${area}.json`;
  if (!existsSync(file)) return undefined;
  const c = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, date: statSync(file).mtime.toISOString().slice(0, 10) };
  const key = { Killed: "killed", Timeout: "timeout", Survived: "survived", NoCoverage: "noCoverage" };
  for (const { mutants } of Object.values(JSON.parse(readFileSync(file, "utf8")).files))
    for (const m of mutants) if (key[m.status]) c[key[m.status]]++; // Ignored, CompileError and RuntimeError are not valid mutants
  return c;
}

// The mutation score: detected (killed or timed out) over every valid mutant, survivors and uncovered ones included.
const score = (c) => {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid ? `${((100 * (c.killed + c.timeout)) / valid).toFixed(2)} %` : "-";
};
const row = (cells) => cells.map((x, i) => String(x)[i ? "padStart" : "padEnd"](i ? 9 : 8)).join(" ");
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
const lines = [row(["area", "killed", "timeout", "survived", "no cover", "score", "report of"])];
for (const area of Object.keys(AREAS)) {
  const c = counts(area);
  if (!c) {
    lines.push(row([area, "-", "-", "-", "-", "-", "no report"]));
    continue;
  }
  for (const k of Object.keys(total)) total[k] += c[k];
  lines.push(row([area, c.killed, c.timeout, c.survived, c.noCoverage, score(c), c.date]));
}
lines.push(row(["overall", total.killed, total.timeout, total.survived, total.noCoverage, score(total), ""]));
process.stdout.write(`\n${lines.join("\n")}\n`);
