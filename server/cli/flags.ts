// Flag values checked before anything is sent or opened: one sentence naming the flag.
import type { Mode } from "../verify/verify.ts";
import { KEY_KINDS, type KeyKind } from "../../contract/claim.ts";
import { toOrigin } from "../origins.ts";
import { UserError } from "../secrets.ts";
import { hasControlCharacter } from "../text.ts";

export function parseOrigin(value: string): string {
  const origin = toOrigin(value);
  if (!origin) throw new UserError(`--origin must be an http(s) origin such as https://example.com, not "${value}".`);
  return origin;
}

export function parseName(value: string): string {
  const name = value.trim();
  if (!name || name.length > 100 || hasControlCharacter(name)) throw new UserError("--name must be 1 to 100 characters, with no control characters.");
  return name;
}

export function parseMode(value: string): Mode {
  if (value !== "required" && value !== "optional") throw new UserError(`--mode must be "required" or "optional", not "${value}".`);
  return value;
}

export function parseOnOff(value: string, flag: string): boolean {
  if (value !== "on" && value !== "off") throw new UserError(`--${flag} must be "on" or "off", not "${value}".`);
  return value === "on";
}

export function parseKeyKind(value: string): KeyKind {
  if (!(KEY_KINDS as readonly string[]).includes(value)) throw new UserError(`--proof must be one of ${KEY_KINDS.join(", ")}, not "${value}": a key signs one kind of proof.`);
  return value as KeyKind;
}
