// The backend snippets in docs/snippets/ are real programs: each one present on this machine is
// run against the shared vectors and must reproduce every output. CI installs all five.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const vectorsPath = fileURLToPath(new URL("../vectors/proofs.json", import.meta.url));
const v = JSON.parse(readFileSync(vectorsPath, "utf8"));
const expected = { hash: v.hash.map((h: { userHash: string }) => h.userHash), payload: v.payload.map((p: { signature: string }) => p.signature), token: v.token.map((t: { token: string }) => t.token), jwt: v.jwt.map((t: { jwt: string }) => t.jwt) };
const snippet = (file: string) => fileURLToPath(new URL(`../../docs/snippets/${file}`, import.meta.url));

const LANGUAGES: [string, string, string[]][] = [
  ["Node", process.execPath, [snippet("parley.mjs")]],
  ["Python", "python3", [snippet("parley.py")]],
  ["Ruby", "ruby", [snippet("parley.rb")]],
  ["PHP", "php", [snippet("parley.php")]],
  ["Go", "go", ["run", snippet("parley.go")]],
];
const present = (cmd: string) => spawnSync(cmd, ["--version"]).status === 0 || spawnSync(cmd, ["version"]).status === 0;

describe("backend snippets reproduce the vectors", () => {
  for (const [name, cmd, args] of LANGUAGES) {
    if (present(cmd)) {
      it(name, () => {
        const r = spawnSync(cmd, [...args, vectorsPath], { encoding: "utf8", timeout: 120_000, env: { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "off" } });
        expect(r.stderr).toBe("");
        expect(JSON.parse(r.stdout)).toEqual(expected);
      });
    } else if (process.env.CI) {
      // CI installs all five (.ci/run): a missing one there is a broken CI, not a skip.
      it(name, () => expect.fail(`${cmd} is not installed, and CI must run every snippet`));
    } else {
      it.skip(`${name} — not run: ${cmd} is not installed here (.ci/run installs it)`, () => {});
    }
  }
});
