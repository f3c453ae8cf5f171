// once(): a lazy chunk is fetched on first need and shared; a failed fetch is tried again.
import { describe, expect, it, vi } from "vitest";
import { once } from "../../widget/core/lazy.ts";

describe("once", () => {
  it("fetches once and shares the result with every caller", async () => {
    const load = vi.fn(async () => ({ chunk: 1 }));
    const get = once(load);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("forgets a failed fetch: the next call fetches again, and then is shared", async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValue({ chunk: 2 });
    const get = once(load);
    await expect(get()).rejects.toThrow("offline");
    const chunk = await get();
    expect(chunk).toEqual({ chunk: 2 });
    expect(await get()).toBe(chunk);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
