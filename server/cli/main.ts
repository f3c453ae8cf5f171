// `parley …`: JSON on stdout for results, one plain sentence on stderr and a non-zero exit for
// errors. Each command is its own module, loaded only when run (a quick `key list`).
import { parseArgs } from "node:util";
import { UserError } from "../secrets.ts";
import { FolderHeld } from "../storage/folder-lock.ts";
import type { Command } from "./command.ts";

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  serve: () => import("./serve.ts"),
  migrate: () => import("./migrate.ts"),
  "app create": () => import("./app-create.ts"),
  "app list": () => import("./app-list.ts"),
  "app update": () => import("./app-update.ts"),
  "key create": () => import("./key-create.ts"),
  "key list": () => import("./key-list.ts"),
  "key revoke": () => import("./key-revoke.ts"),
  doctor: () => import("./doctor.ts"),
  announce: () => import("./announce.ts"),
  announcements: () => import("./announcements.ts"),
  ideas: () => import("./ideas.ts"),
  "idea status": () => import("./idea-status.ts"),
  sign: () => import("./sign.ts"),
};

async function usage(): Promise<string> {
  const all = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return `usage:\n${all.map(({ command }) => `  ${command.usage}`).join("\n")}\n(--server URL with PARLEY_ADMIN_TOKEN: administer a remote server)`;
}

export async function main(argv: string[]): Promise<number> {
  let name = "";
  try {
    const [first, second] = argv;
    if (first === undefined || first === "help" || first === "--help" || first === "-h") {
      process.stdout.write((await usage()) + "\n");
      return 0;
    }
    name = (first === "app" || first === "key" || first === "idea") && second && !second.startsWith("-") ? `${first} ${second}` : first;
    if (!Object.hasOwn(COMMANDS, name)) throw new UserError(`Unknown command "${name}".\n${await usage()}`);
    const { command } = await COMMANDS[name]!();
    const args = argv.slice(name.split(" ").length);
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(`usage: ${command.usage}\n`);
      return 0;
    }
    let values;
    try {
      values = parseArgs({ args, options: command.options, allowPositionals: false, strict: true }).values;
    } catch (err) {
      throw new UserError(`${argumentProblem(err as Error)}\nusage: ${command.usage}`);
    }
    return (await command.run(values)) ?? 0;
  } catch (err) {
    if (err instanceof FolderHeld) return fail(`${err.message} Stop it first, or give this one its own folder (PARLEY_DATA_DIR).`, 2);
    if (err instanceof UserError) return fail(err.message, 2);
    return fail(`unexpected error${name ? ` in "${name}"` : ""}: ${(err as Error).message}`, 1);
  }
}

function fail(sentence: string, code: number): number {
  process.stderr.write(`parley: ${sentence}\n`);
  return code;
}

/** Node's parseArgs messages, shortened to what a person at a terminal needs. */
function argumentProblem(err: Error): string {
  const flag = /'(-[^']*)'/.exec(err.message)?.[1];
  const code = (err as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `Unknown option ${flag}.`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `Unexpected argument ${JSON.stringify(/'([^']*)'/.exec(err.message)?.[1] ?? "")}.`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return flag ? `${flag.split(" ")[0]} needs a value.` : err.message;
  return err.message;
}
