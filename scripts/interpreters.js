// The interpreters the backend snippets in docs/snippets/ run on. Like scripts/postgres.js and
// scripts/find-chromium.js: what is missing is installed from Debian's packages when we run as
// root with apt, never skipped; otherwise the caller fails with a sentence naming what to install.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** command → Debian package */
export const INTERPRETERS = { python3: "python3", ruby: "ruby", php: "php-cli", go: "golang-go" };

const present = (cmd) => spawnSync(cmd, ["--version"]).status === 0 || spawnSync(cmd, ["version"]).status === 0;

/** The commands of `commands` that cannot be run here. */
export const missingInterpreters = (commands = Object.keys(INTERPRETERS)) => commands.filter((cmd) => !present(cmd));

/** Installs every missing interpreter it can, at once; returns the commands still missing. */
export function ensureInterpreters(commands = Object.keys(INTERPRETERS)) {
  const missing = missingInterpreters(commands);
  if (missing.length && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    process.stderr.write(`Installing the snippets' interpreters from Debian: ${missing.join(", ")}…\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    execFileSync("apt-get", ["install", "-y", "-qq", ...missing.map((cmd) => INTERPRETERS[cmd])], { stdio: "ignore", env });
  }
  return missingInterpreters(commands);
}
