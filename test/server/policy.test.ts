// server/policy/: what a verdict entitles a request to — whose conversation it reads, which user a
// message is filed under, whether the contact's details were vouched for, and what the visitor's
// browser may learn. Pure functions of a verdict; the verdicts here are the verifier's own shapes.
import { describe, expect, it } from "vitest";
import { authorUserId, detailsVerified } from "../../server/policy/author.ts";
import { conversationKey } from "../../server/policy/conversation-key.ts";
import { publicVerdict, rejectionHint } from "../../server/policy/public-verdict.ts";
import type { Verdict, VerifyContext } from "../../server/verify/verify.ts";

const verifiedPayload: Verdict = { status: "verified", proof: "payload", userId: "u_1", name: "Ada", email: "ada@example.com", data: { id: "u_1", plan: "pro" }, keyId: "key_p" };
const verifiedHash: Verdict = { status: "verified", proof: "hash", userId: "u_1", name: "Ada", email: "ada@example.com", keyId: "key_h" };
const unverified: Verdict = { status: "unverified", userId: "u_1", name: "Ada", email: "ada@example.com" };
const anonymous: Verdict = { status: "anonymous" };
// A rejected verdict never carries an id from the verifier; one that did must still name nobody.
const rejected: Verdict = { status: "rejected", reason: "bad_signature", proof: "payload", userId: "u_victim", name: "Mallory", email: "m@example.com" };

describe("conversationKey: only a verified user reads a user's history", () => {
  it("a verified user's conversation is theirs on every device", () => {
    expect(conversationKey("v_browser", verifiedHash)).toBe("user:u_1");
    expect(conversationKey("v_other_browser", verifiedPayload)).toBe("user:u_1");
  });

  it.each([
    ["unverified", unverified],
    ["anonymous", anonymous],
    ["rejected", rejected],
  ])("an %s request has only its own browser's conversation", (_label, verdict) => {
    expect(conversationKey("v_browser", verdict)).toBe("visitor:v_browser");
  });
});

describe("authorUserId: the user a message is filed under", () => {
  it("a verified claim's user, whatever the proof", () => {
    expect(authorUserId(verifiedHash)).toBe("u_1");
    expect(authorUserId(verifiedPayload)).toBe("u_1");
  });

  it("an unverified claim's user (mode optional)", () => {
    expect(authorUserId(unverified)).toBe("u_1");
  });

  it("nobody for a rejected claim, even one that carries an id, nor for an anonymous one", () => {
    expect(authorUserId(rejected)).toBeNull();
    expect(authorUserId(anonymous)).toBeNull();
  });
});

describe("detailsVerified: name and email are vouched for only by a verified payload or token", () => {
  it("a verified payload or token carrying a name or an email", () => {
    expect(detailsVerified(verifiedPayload)).toBe(true);
    expect(detailsVerified({ ...verifiedPayload, proof: "token", email: undefined })).toBe(true);
    expect(detailsVerified({ ...verifiedPayload, proof: "jwt", name: undefined })).toBe(true);
  });

  it("a verified payload carrying neither has no details to vouch for", () => {
    expect(detailsVerified({ ...verifiedPayload, name: undefined, email: undefined })).toBe(false);
  });

  it("a user hash proves the id alone: its name and email stay hints", () => {
    expect(detailsVerified(verifiedHash)).toBe(false);
  });

  it("an unverified or a rejected claim vouches for nothing, whatever it carries", () => {
    expect(detailsVerified(unverified)).toBe(false);
    expect(detailsVerified(rejected)).toBe(false);
    expect(detailsVerified(anonymous)).toBe(false);
  });
});

describe("publicVerdict: what the visitor's browser may learn", () => {
  // toStrictEqual: a key present with the value undefined is a key the response would carry.
  it("an anonymous verdict is its status alone, no keys with empty values", () => {
    expect(publicVerdict(anonymous)).toStrictEqual({ status: "anonymous" });
  });

  it("an unverified verdict carries the user id, not the name the page gave", () => {
    expect(publicVerdict(unverified)).toStrictEqual({ status: "unverified", userId: "u_1" });
  });

  it("a verified verdict without a name carries no name key", () => {
    expect(publicVerdict({ ...verifiedPayload, name: undefined })).toStrictEqual({ status: "verified", userId: "u_1" });
  });

  it("a rejected verdict carries its reason and, when given, the hint", () => {
    expect(publicVerdict(rejected, "The hash matches none of this app's keys.")).toStrictEqual({ hint: "The hash matches none of this app's keys.", status: "rejected", reason: "bad_signature" });
    expect(publicVerdict(rejected, "")).toStrictEqual({ status: "rejected", reason: "bad_signature" });
  });
});

describe("rejectionHint", () => {
  const ctx: VerifyContext = { appId: "app_mine", mode: "optional", now: 1_800_000_000, keys: [] };
  it("none for an anonymous or an unverified request, even with hints on", async () => {
    expect(await rejectionHint(undefined, anonymous, ctx, true)).toBeUndefined();
    expect(await rejectionHint({ userId: "u_1" }, unverified, ctx, true)).toBeUndefined();
  });
  it("a rejection the doctor cannot explain still gets its one-sentence reason", async () => {
    expect(await rejectionHint("u_1", { status: "rejected", reason: "malformed" }, ctx, true)).toBe("Rejected: malformed.");
  });
});
