// equalBytes, the one MAC comparison of the verifier and the doctor, is node:crypto's
// timingSafeEqual: its answer is timingSafeEqual's (for equal lengths), never a comparison of its own.
import * as crypto from "node:crypto";
import { expect, it, vi } from "vitest";
import { equalBytes } from "../../server/verify/hmac.ts";

vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

it("answers what timingSafeEqual answers for equal lengths, and false for different lengths without a compare", () => {
  const a = Buffer.alloc(32, 1);
  expect(equalBytes(a, Buffer.alloc(32, 1))).toBe(true);
  expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  timingSafeEqual.mockReturnValueOnce(false);
  expect(equalBytes(a, Buffer.alloc(32, 1))).toBe(false);
  timingSafeEqual.mockReturnValueOnce(true);
  expect(equalBytes(a, Buffer.alloc(32, 2))).toBe(true);
  timingSafeEqual.mockClear();
  expect(equalBytes(a, Buffer.alloc(31, 1))).toBe(false);
  expect(timingSafeEqual).not.toHaveBeenCalled();
});
