// policy/idea-writer.ts: who may suggest, vote and comment on the ideas board — a verified user,
// nobody else — and the name shown beside what they wrote. Pure: verdicts in, no database.
import { describe, expect, it } from "vitest";
import { ideaWriter, MAX_AUTHOR_NAME } from "../../server/policy/idea-writer.ts";
import type { Verdict } from "../../server/verify/verify.ts";

describe("ideaWriter", () => {
  it("a verified user writes, under the name their signed payload or token carries", () => {
    for (const proof of ["payload", "token", "jwt"] as const) {
      expect(ideaWriter({ status: "verified", proof, userId: "u_1", name: "Ada Lovelace" })).toEqual({ userId: "u_1", name: "Ada Lovelace" });
      expect(ideaWriter({ status: "verified", proof, userId: "u_1" })).toEqual({ userId: "u_1", name: null });
    }
  });

  it("a user hash proves the id only: its name is the page's hint, never shown to others", () => {
    expect(ideaWriter({ status: "verified", proof: "hash", userId: "u_1", name: "The CEO", email: "ceo@example.com" })).toEqual({ userId: "u_1", name: null });
  });

  it("nobody else writes: anonymous, unverified (mode optional), rejected — whatever they claim", () => {
    const others: Verdict[] = [
      { status: "anonymous" },
      { status: "unverified", userId: "u_1", name: "Ada" },
      { status: "rejected", reason: "bad_signature", proof: "payload", userId: "u_1", name: "Ada" },
      { status: "rejected", reason: "expired", proof: "token" },
      { status: "rejected", reason: "wrong_app", proof: "jwt", userId: "u_1" },
      // A verdict that says verified but names nobody is not a user.
      { status: "verified", proof: "payload" },
    ];
    for (const verdict of others) expect(ideaWriter(verdict), JSON.stringify(verdict)).toBeUndefined();
  });

  it("the name as others read it: no control characters, trimmed, 100 characters at most, none when nothing is left", () => {
    expect(ideaWriter({ status: "verified", proof: "payload", userId: "u_1", name: " Ada\u0000\n Lovelace " })!.name).toBe("Ada Lovelace");
    expect(ideaWriter({ status: "verified", proof: "payload", userId: "u_1", name: "x".repeat(300) })!.name).toHaveLength(MAX_AUTHOR_NAME);
    expect(ideaWriter({ status: "verified", proof: "payload", userId: "u_1", name: " \u0007 " })!.name).toBeNull();
  });
});
