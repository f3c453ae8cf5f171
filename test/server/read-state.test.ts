// policy/read-state.ts: whose read state a request keeps. Pure: a verdict in, a key out.
import { describe, expect, it } from "vitest";
import { readerKey } from "../../server/policy/read-state.ts";
import type { Verdict } from "../../server/verify/verify.ts";

describe("readerKey", () => {
  it("a verified user's, the same whichever browser asks", () => {
    const verified: Verdict = { status: "verified", proof: "hash", userId: "u_ada", keyId: "key_1" };
    expect(readerKey("v_phone", verified)).toBe("user:u_ada");
    expect(readerKey("v_laptop", verified)).toBe("user:u_ada");
  });

  it("otherwise this browser's: an unverified or rejected claim never reads or writes the user's", () => {
    const others: Verdict[] = [{ status: "anonymous" }, { status: "unverified", userId: "u_ada" }, { status: "rejected", reason: "bad_signature", proof: "hash", userId: "u_ada" }];
    for (const verdict of others) expect(readerKey("v_phone", verdict), verdict.status).toBe("visitor:v_phone");
  });
});
