// Refresh before reject, in Chromium against the real server: a page whose token has run out and
// that gives `refreshIdentity` gets its message filed, verified, in the user's thread; the same
// page without a callback takes the rejected path, and the message stays in view.
import { expect, test } from "@playwright/test";
import { createToken } from "../../server/sign.ts";
import { demoApp, expectStored, openChat, send, unique } from "./helpers.ts";

const NOW = Math.floor(Date.now() / 1000);

function tokens() {
  const { appId, secrets } = demoApp();
  return {
    // Issued two hours ago for one hour: it ran out an hour ago.
    aged: createToken(secrets.token!, { sub: "u_ada", app: appId, iat: NOW - 7200, ttl: 3600 }),
    fresh: createToken(secrets.token!, { sub: "u_ada", app: appId, iat: NOW, ttl: 3600 }),
  };
}

test("a token that ran out, with a refreshIdentity callback: the message is verified, in the user's thread", async ({ page }) => {
  const { aged, fresh } = tokens();
  await page.goto("/");
  await openChat(page);
  await page.evaluate(
    ([aged, fresh]) => {
      const w = window as unknown as { Parley: (...args: unknown[]) => void; refreshed: number };
      w.refreshed = 0;
      w.Parley("identify", { token: aged }, { refreshIdentity: async () => (w.refreshed++, { token: fresh }) });
    },
    [aged, fresh],
  );
  const text = unique("sent with an aged token");
  await send(page, text);
  const stored = await expectStored(text);
  expect(stored.identity).toEqual({ status: "verified" });
  expect(stored.author).toMatchObject({ userId: "u_ada", verified: true });
  expect(await page.evaluate(() => (window as unknown as { refreshed: number }).refreshed)).toBeGreaterThanOrEqual(1);
});

test("the same without a callback: rejected as expired, and the message stays in view", async ({ page }) => {
  const { aged } = tokens();
  await page.goto("/");
  await openChat(page);
  await page.evaluate((aged) => (window as unknown as { Parley: (...args: unknown[]) => void }).Parley("identify", { token: aged }), aged);
  const text = unique("aged, no callback");
  await send(page, text);
  const stored = await expectStored(text);
  expect(stored.identity).toEqual({ status: "rejected", reason: "expired" });
  await expect(page.getByRole("log")).toContainText(text);
});
