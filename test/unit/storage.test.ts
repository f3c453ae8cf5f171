// safeStorage: localStorage that never throws. Disabled, full or missing storage degrades to
// memory for this page, so the widget works (without persistence) in a locked-down browser.
import { describe, expect, it } from "vitest";
import { readJson, safeStorage } from "../../widget/core/storage.ts";
import { usePage } from "./helpers.ts";

usePage();

const throwingStorage = () =>
  ({
    getItem() {
      throw new DOMException("denied", "SecurityError");
    },
    setItem() {
      throw new DOMException("full", "QuotaExceededError");
    },
    removeItem() {
      throw new DOMException("denied", "SecurityError");
    },
  }) as unknown as Storage;

describe("safeStorage", () => {
  it("reads and writes through to localStorage", () => {
    const s = safeStorage(() => localStorage);
    s.set("k", "v");
    expect(localStorage.getItem("k")).toBe("v");
    expect(s.get("k")).toBe("v");
    s.remove("k");
    expect(localStorage.getItem("k")).toBeNull();
    expect(s.get("k")).toBeNull();
  });

  it("falls back to memory when getting localStorage itself throws (cookies blocked)", () => {
    const s = safeStorage(() => {
      throw new DOMException("denied", "SecurityError");
    });
    s.set("k", "v");
    expect(s.get("k")).toBe("v");
    s.remove("k");
    expect(s.get("k")).toBeNull();
  });

  it("falls back to memory when every call throws (quota, disabled)", () => {
    const s = safeStorage(throwingStorage);
    expect(() => s.set("k", "v")).not.toThrow();
    expect(s.get("k")).toBe("v");
    expect(() => s.remove("k")).not.toThrow();
    expect(s.get("k")).toBeNull();
  });

  it("works with no storage at all", () => {
    const s = safeStorage(() => undefined);
    s.set("k", "v");
    expect(s.get("k")).toBe("v");
  });
});

describe("readJson", () => {
  it("returns undefined for missing or unreadable JSON", () => {
    const s = safeStorage(() => localStorage);
    expect(readJson(s, "missing")).toBeUndefined();
    s.set("bad", "{nope");
    expect(readJson(s, "bad")).toBeUndefined();
    s.set("good", '{"a":1}');
    expect(readJson(s, "good")).toEqual({ a: 1 });
  });
});
