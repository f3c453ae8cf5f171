// What every `parley` command is: its usage line, its own option table, and what it does.
import type { ParseArgsConfig } from "node:util";
import { UserError } from "../secrets.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  usage: string;
  options: Options;
  /** Resolves to the exit code; 0 unless the command says otherwise (doctor: 1 for a failing proof). */
  run(values: Values): Promise<number | void>;
}

export const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value, null, 2) + "\n");
export const warn = (sentence: string): void => void process.stderr.write(`parley: ${sentence}\n`);

export function need(values: Values, flag: string, usage: string): string {
  const value = values[flag];
  if (typeof value !== "string" || value === "") throw new UserError(`--${flag} is required.\nusage: ${usage}`);
  return value;
}

export const text = (values: Values, flag: string): string | undefined => (typeof values[flag] === "string" ? (values[flag] as string) : undefined);
