// Flag values checked before anything is sent or opened: one sentence naming the flag.
import type { Mode } from "../../contract/operator.ts";
import { KEY_KINDS, type KeyKind } from "../../contract/claim.ts";
import { IDEA_STATUSES, type Audience, type IdeaStatus } from "../../contract/wire.ts";
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

/**
 * `--audience NAME=VALUE[,VALUE…]`, once per attribute: every attribute must match, any of its
 * values does. Values are trimmed (`plan=pro, enterprise` means what it looks like). None: everyone.
 */
export function parseAudience(flags: readonly string[]): Audience | undefined {
  const audience: Audience = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const name = flag.slice(0, at).trim();
    if (at < 1 || !name) throw new UserError(`--audience must be NAME=VALUE[,VALUE…], such as plan=pro,enterprise, not "${flag}".`);
    if (Object.hasOwn(audience, name)) throw new UserError(`--audience names "${name}" twice: give its values once, such as ${name}=pro,enterprise.`);
    const values = flag
      .slice(at + 1)
      .split(",")
      .map((v) => v.trim());
    if (values.some((v) => v === "")) throw new UserError(`--audience ${flag} has an empty value: list values separated by commas, such as ${name}=pro,enterprise.`);
    Object.defineProperty(audience, name, { value: values, enumerable: true });
  }
  return Object.keys(audience).length ? audience : undefined;
}

export function parseTitle(value: string): string {
  const title = value.trim();
  if (!title || title.length > 200 || hasControlCharacter(title)) throw new UserError("--title must be 1 to 200 characters, with no control characters.");
  return title;
}

export function parseIdeaStatus(value: string): IdeaStatus {
  if (!(IDEA_STATUSES as readonly string[]).includes(value)) throw new UserError(`--status must be one of ${IDEA_STATUSES.join(", ")}, not "${value}".`);
  return value as IdeaStatus;
}
