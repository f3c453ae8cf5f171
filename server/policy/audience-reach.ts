// What the operator sees before publishing to an audience: which attribute values verified
// contacts have, and how many contacts an audience reaches. Pure, and decided by the one rule of
// who an audience is (audience.ts): a value is listed only if picking it would match its contacts.
import type { SeenAttribute } from "../../contract/operator.ts";
import type { Attributes, Audience } from "../../contract/wire.ts";
import { audienceMatches } from "./audience.ts";

export type { SeenAttribute } from "../../contract/operator.ts";

/** Values listed per attribute at most: an id-like attribute (subscription_id) is no audience. */
export const MAX_VALUES = 50;

/** Every attribute name verified contacts carry, with the values an audience could pick. */
export function seenAttributes(contacts: readonly Attributes[]): SeenAttribute[] {
  const names = new Map<string, Map<string, number>>();
  for (const attributes of contacts) {
    for (const [name, value] of Object.entries(attributes)) {
      const texts = new Set(candidates(value).filter((text) => audienceMatches({ [name]: [text] }, attributes)));
      if (texts.size === 0) continue;
      const counts = names.get(name) ?? new Map<string, number>();
      names.set(name, counts);
      for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  return [...names.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, counts]) => {
      const values = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value, n]) => ({ value, contacts: n }));
      return { name, values: values.slice(0, MAX_VALUES), ...(values.length > MAX_VALUES ? { more: true as const } : {}) };
    });
}

/** How many of these contacts an audience reaches (none: everyone). */
export function reach(audience: Audience | null, contacts: readonly Attributes[]): number {
  return contacts.filter((attributes) => audienceMatches(audience, attributes)).length;
}

/** Texts a value might match as; audience.ts decides which do. */
function candidates(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(candidates);
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? [String(value)] : [];
}
