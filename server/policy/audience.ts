// Who sees an announcement: the rule of "What's new". Pure: an audience and the request's own
// verified attributes in, yes or no out.
import type { Attributes, Audience } from "../../contract/wire.ts";

/**
 * Whether an announcement with this audience is for a request whose claim verified `attributes`
 * (undefined: the claim verified nothing — anonymous, unverified or rejected). No audience is
 * everyone. Otherwise every key must match, and a key matches when the attribute's value, read as
 * text, is one of the listed values (a list attribute: any of its items). Only what the request's
 * own claim proved counts: never a stored contact, a hint, or a field of a claim that failed.
 */
export function audienceMatches(audience: Audience | null | undefined, attributes: Attributes | undefined): boolean {
  if (!audience || Object.keys(audience).length === 0) return true;
  if (!attributes) return false;
  return Object.entries(audience).every(([name, values]) => Object.hasOwn(attributes, name) && asTexts(attributes[name]).some((text) => values.includes(text)));
}

/** An attribute's value as the texts an audience compares with: `true` is "true", 3 is "3". */
function asTexts(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return value.flatMap((item) => (Array.isArray(item) ? [] : asTexts(item)));
  return [];
}
