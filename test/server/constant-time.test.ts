// Every MAC comparison goes through the constant-time helper, by construction: with equalBytes
// answering "equal" a wrong MAC verifies, and answering "different" a right one does not — so no
// other comparison (a `===`, Buffer.equals) decides. The JWT is verified by WebCrypto (jose), whose
// HMAC compare is constant-time in the Node releases `engines` allows.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createToken, signPayload, userHash } from "../../server/sign.ts";
import * as hmac from "../../server/verify/hmac.ts";
import { verifyClaim, type VerifyContext } from "../../server/verify/verify.ts";
import { diagnose } from "../../server/verify/diagnose.ts";
import { everyKind } from "../support/keys.ts";

vi.mock("../../server/verify/hmac.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../server/verify/hmac.ts")>();
  return { ...real, equalBytes: vi.fn(real.equalBytes) };
});
const equalBytes = vi.mocked(hmac.equalBytes);
afterEach(() => equalBytes.mockClear());

const NOW = 1_800_000_000;
const SECRET = "pk_constant_time";
const ctx: VerifyContext = { appId: "app_ct", mode: "required", now: NOW, keys: everyKind({ id: "key_ct", secret: SECRET, revoked: false }) };
const good = {
  hash: { userId: "u_1", userHash: userHash(SECRET, "u_1") },
  payload: signPayload(SECRET, { id: "u_1" }),
  token: { token: createToken(SECRET, { sub: "u_1", app: "app_ct", iat: NOW }) },
};
const wrong = {
  hash: { userId: "u_1", userHash: userHash("pk_other", "u_1") },
  payload: signPayload("pk_other", { id: "u_1" }),
  token: { token: createToken("pk_other", { sub: "u_1", app: "app_ct", iat: NOW }) },
};

describe.each(Object.keys(good) as (keyof typeof good)[])("%s", (kind) => {
  it("is decided by equalBytes alone", async () => {
    expect(await verifyClaim(good[kind], ctx)).toMatchObject({ status: "verified" });
    expect(equalBytes).toHaveBeenCalled();
    equalBytes.mockReturnValue(false);
    expect(await verifyClaim(good[kind], ctx)).toMatchObject({ status: "rejected", reason: "bad_signature" });
    equalBytes.mockReturnValue(true);
    expect(await verifyClaim(wrong[kind], ctx)).toMatchObject({ status: "verified" });
    equalBytes.mockReset();
  });
});

it("the doctor's guesses compare through equalBytes too (they run on rejected requests)", async () => {
  await diagnose(wrong.hash, ctx);
  expect(equalBytes.mock.calls.length).toBeGreaterThan(3);
});
