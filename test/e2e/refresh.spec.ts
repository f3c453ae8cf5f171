// Refresh before reject, in Chromium against the real server: a page whose token has run out and
// that gives `refreshIdentity` gets its message filed, verified, in the user's thread; the same
// page without a callback takes the rejected path, and the message stays in view.
import { expect, test } from "@playwright/test";
import { createToken } from "../../server/sign.ts";
import { admin, API, demoApp, expectStored, openChat, send, unique } from "./helpers.ts";

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

test("a token with a short life ages during the visit: the widget asks the host a minute before it runs out, and the message after expiry is verified, in the user's thread", async ({ page }) => {
  const { appId, secrets } = demoApp();
  const now = Math.floor(Date.now() / 1000);
  // It ran out 50 s ago: the server, allowing 60 s of clock skew, still takes it for about 10 s.
  const short = createToken(secrets.token!, { sub: "u_ada", app: appId, iat: now - 3650, ttl: 3600 });
  const fresh = createToken(secrets.token!, { sub: "u_ada", app: appId, iat: now, ttl: 3600 });
  // The page's clock runs 3 minutes behind the server's, so that to the widget this token has
  // 70 s left before it asks for a fresh one; that time passes for the page with fastForward.
  await page.clock.install({ time: Date.now() - 180_000 });
  await page.goto("/");
  await openChat(page);
  const sentWith: unknown[] = [];
  page.on("request", (r) => r.method() === "POST" && r.url().endsWith("/messages") && sentWith.push(r.postDataJSON().identity));
  await page.evaluate(
    ([short, fresh]) => {
      const w = window as unknown as { Parley: (...args: unknown[]) => void; refreshed: number; verdicts: unknown[] };
      w.refreshed = 0;
      w.verdicts = [];
      w.Parley("on", "identity", (v: unknown) => w.verdicts.push(v));
      w.Parley("identify", { token: short }, { refreshIdentity: async () => (w.refreshed++, { token: fresh }) });
    },
    [short, fresh],
  );
  const refreshed = () => page.evaluate(() => (window as unknown as { refreshed: number }).refreshed);
  const before = unique("while the token is good");
  await send(page, before);
  const first = await expectStored(before);
  expect(first.identity).toEqual({ status: "verified" });
  expect(sentWith).toEqual([{ token: short }]);
  expect(await refreshed()).toBe(0);

  // 70 s later for the page: the widget asks the host before the token runs out, unprompted.
  await page.clock.fastForward("01:10");
  await expect.poll(refreshed).toBe(1);

  // Then the token runs out for the server too.
  const verdictOf = async (identity: unknown) => {
    const res = await fetch(`${API}/v1/apps/${appId}/conversation`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId: "v_refresh_probe", identity }) });
    return ((await res.json()) as { identity: unknown }).identity;
  };
  await expect.poll(() => verdictOf({ token: short }), { timeout: 20_000, intervals: [1000] }).toMatchObject({ status: "rejected", reason: "expired" });

  const after = unique("after the token ran out");
  await send(page, after);
  const second = await expectStored(after);
  expect(second.identity).toEqual({ status: "verified" });
  expect(second.author).toMatchObject({ userId: "u_ada", verified: true });
  expect(sentWith).toEqual([{ token: short }, { token: fresh }]);
  // One thread, the user's, with both messages; the server never had to reject the aged token.
  expect(second.conversationId).toBe(first.conversationId);
  const { conversations } = await admin<{ conversations: { id: string; contact: { userId: string | null; verified: boolean } }[] }>("/conversations");
  expect(conversations.find((c) => c.id === second.conversationId)?.contact).toMatchObject({ userId: "u_ada", verified: true });
  await expect(page.getByRole("log")).toContainText(before);
  await expect(page.getByRole("log")).toContainText(after);
  expect(await page.evaluate(() => (window as unknown as { verdicts: { status: string }[] }).verdicts.map((v) => v.status))).not.toContain("rejected");
  expect(await refreshed()).toBe(1);
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
