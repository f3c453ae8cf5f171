// policy/audience-reach.ts: the audience picker's facts — which attribute values verified contacts
// carry (listed only when picking them would match, by audience.ts's rule) and how many contacts an
// audience reaches. Pure: contacts' attributes in, no database (over HTTP: console-audience.test.ts).
import { describe, expect, it } from "vitest";
import { MAX_VALUES, reach, seenAttributes } from "../../server/policy/audience-reach.ts";

describe("seenAttributes and reach (pure)", () => {
  const contacts = [
    { plan: "pro", company: "acme", seats: 3, beta: true },
    { plan: "pro", company: "globex", tags: ["a", "b"] },
    { plan: "free", nested: { deep: 1 }, nothing: null },
    {},
  ];

  it("names, sorted; values most common first, with how many contacts have each; text of numbers and booleans; items of lists; nothing for objects or null", () => {
    expect(seenAttributes(contacts)).toEqual([
      { name: "beta", values: [{ value: "true", contacts: 1 }] },
      {
        name: "company",
        values: [
          { value: "acme", contacts: 1 },
          { value: "globex", contacts: 1 },
        ],
      },
      {
        name: "plan",
        values: [
          { value: "pro", contacts: 2 },
          { value: "free", contacts: 1 },
        ],
      },
      { name: "seats", values: [{ value: "3", contacts: 1 }] },
      {
        name: "tags",
        values: [
          { value: "a", contacts: 1 },
          { value: "b", contacts: 1 },
        ],
      },
    ]);
  });

  it("every value listed reaches the contacts it says it does", () => {
    for (const a of seenAttributes(contacts)) for (const v of a.values) expect(reach({ [a.name]: [v.value] }, contacts), `${a.name}=${v.value}`).toBe(v.contacts);
  });

  it("reach: everyone without an audience; every attribute must match, any value of one", () => {
    expect(reach(null, contacts)).toBe(4);
    expect(reach({ plan: ["pro"] }, contacts)).toBe(2);
    expect(reach({ plan: ["pro", "free"] }, contacts)).toBe(3);
    expect(reach({ plan: ["pro"], company: ["acme"] }, contacts)).toBe(1);
    expect(reach({ plan: ["enterprise"] }, contacts)).toBe(0);
  });

  it("lists at most MAX_VALUES values of an attribute, and says there are more", () => {
    const many = Array.from({ length: MAX_VALUES + 5 }, (_, i) => ({ subscription: `sub_${i}` }));
    const [seen] = seenAttributes(many);
    expect(seen!.values).toHaveLength(MAX_VALUES);
    expect(seen!.more).toBe(true);
  });

  it("most common first whatever order the contacts came in, ties by value; a value in a list within a list, which no audience matches, is not offered", () => {
    const seen = seenAttributes([{ plan: "free" }, { plan: "team" }, { plan: "pro" }, { plan: "pro" }, { plan: "basic", tags: [["nested"]] }]);
    expect(seen).toEqual([
      {
        name: "plan",
        values: [
          { value: "pro", contacts: 2 },
          { value: "basic", contacts: 1 },
          { value: "free", contacts: 1 },
          { value: "team", contacts: 1 },
        ],
      },
    ]);
  });

  it("exactly MAX_VALUES values: all listed, and no more to say", () => {
    const [seen] = seenAttributes(Array.from({ length: MAX_VALUES }, (_, i) => ({ subscription: `sub_${i}` })));
    expect(seen!.values).toHaveLength(MAX_VALUES);
    expect(seen!).not.toHaveProperty("more");
  });
});
