// What a rejected request's response may say: the reason always, the doctor's hint only while the
// app's owner has hints on — and never a word about another app, which the hint cannot even be given.
import { describe, expect, it } from "vitest";
import { publicVerdict, rejectionHint } from "../../server/policy/public-verdict.ts";
import { userHash } from "../../server/sign.ts";
import { verifyClaim, type VerifyContext } from "../../server/verify/verify.ts";

const ctx: VerifyContext = { appId: "app_mine", mode: "required", now: 1_800_000_000, keys: [{ id: "key_mine", secret: "pk_mine", revoked: false, proof: "hash" }] };

describe("rejectionHint", () => {
  const claim = { userId: "u_1", userHash: userHash("pk_mine", "u_1 ") };
  it("explains a rejection while hints are on, says nothing while they are off", async () => {
    const verdict = await verifyClaim(claim, ctx);
    expect(await rejectionHint(claim, verdict, ctx, true)).toMatch(/trailing space/);
    expect(await rejectionHint(claim, verdict, ctx, false)).toBeUndefined();
  });
  it("gives no hint for a verdict that is not a rejection", async () => {
    const good = { userId: "u_1", userHash: userHash("pk_mine", "u_1") };
    expect(await rejectionHint(good, await verifyClaim(good, ctx), ctx, true)).toBeUndefined();
  });
  it("a proof made with another app's key is just 'none of this app's keys': the other app is never named", async () => {
    // The hint has no parameter for other apps' keys (rejectionHint's signature); the doctor does.
    expect(rejectionHint.length).toBe(4);
    const foreign = { userId: "u_1", userHash: userHash("pk_someone_elses", "u_1") };
    const hint = await rejectionHint(foreign, await verifyClaim(foreign, ctx), ctx, true);
    expect(hint).toMatch(/none of this app's keys/);
    expect(hint).not.toMatch(/another app|app_(?!mine)/);
  });
});

describe("publicVerdict", () => {
  it("never carries a rejected claim's id, the verified data, or a hint it was not given", () => {
    const v = publicVerdict({ status: "rejected", reason: "bad_signature", userId: "u_victim", data: { plan: "pro" } });
    expect(v).toEqual({ status: "rejected", reason: "bad_signature" });
  });
  it("a verified verdict carries the user and (verified) name only", () => {
    expect(publicVerdict({ status: "verified", userId: "u_1", name: "Ada", email: "a@x", data: { plan: "pro" }, keyId: "key_1" })).toEqual({ status: "verified", userId: "u_1", name: "Ada" });
  });
});
