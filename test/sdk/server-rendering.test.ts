// @vitest-environment node
// Imported while a server renders (Next.js, Remix, Astro…): nothing touches `window` or `document`
// at import, a call there is a no-op with one clear warning, and the provider renders as it would.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("under server rendering", () => {
  it("has no window, and importing both entries touches nothing", async () => {
    expect(typeof window).toBe("undefined");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await import("../../sdk/index.ts");
    await import("../../sdk/react.ts");
    expect(warn).not.toHaveBeenCalled();
  });

  it("makes every call a no-op, with one warning that says where to call it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { Parley } = await import("../../sdk/index.ts");
    Parley.load({ host: "https://parley.example.com", appId: "app_1" });
    Parley.identify({ token: "t" });
    Parley.open({ message: "Hello" });
    const stop = Parley.on("unread", () => {});
    stop();
    expect(warn.mock.calls).toEqual([
      ["[Parley] Parley.load() ignored: not in a browser (server rendering?). Call Parley from the browser — in an effect or an event handler."],
    ]);
  });

  it("renders the provider and the hooks (an unread count of 0) without a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { ParleyProvider, useUnreadCount, useParley } = await import("../../sdk/react.ts");
    function Help() {
      const parley = useParley();
      return createElement("button", { "data-has-open": typeof parley.open === "function" }, `Help (${useUnreadCount()})`);
    }
    const html = renderToString(createElement(ParleyProvider, { host: "https://parley.example.com", appId: "app_1", identity: { token: "t" } }, createElement(Help)));
    expect(html).toBe('<button data-has-open="true">Help (0)</button>');
    expect(warn).not.toHaveBeenCalled();
  });
});
