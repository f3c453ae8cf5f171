// The widget's requests are CORS simple requests (a text/plain body, no header of its own): the
// browser sends each once, with no OPTIONS preflight before it — anonymous or signed in. Seen from
// Chromium's own network log (DevTools protocol), which shows preflights; checked to see one when a
// page does send application/json.
import { expect, test, type Page } from "@playwright/test";
import { API, expectStored, openChat, send, signIn, unique } from "./helpers.ts";

async function apiRequests(page: Page) {
  const seen: { method: string; url: string }[] = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.requestWillBeSent", (e: { request: { method: string; url: string } }) => {
    if (e.request.url.startsWith(`${API}/v1/`)) seen.push({ method: e.request.method, url: e.request.url });
  });
  return seen;
}

test("sending and reading, anonymous then signed in: POSTs only, no preflight", async ({ page }) => {
  const seen = await apiRequests(page);
  await page.goto("/");
  await openChat(page);
  const anonymous = unique("no preflight, anonymous");
  await send(page, anonymous);
  await expectStored(anonymous);
  await signIn(page, "ada");
  const signedIn = unique("no preflight, signed in");
  await send(page, signedIn);
  await expectStored(signedIn);
  expect(seen.filter((r) => r.url.endsWith("/messages")).length).toBeGreaterThanOrEqual(2);
  expect(seen.filter((r) => r.url.endsWith("/conversation")).length).toBeGreaterThanOrEqual(1);
  expect(seen.filter((r) => r.method !== "POST")).toEqual([]);
});

test("the check can see a preflight: a page's own application/json request to the API gets one", async ({ page }) => {
  const seen = await apiRequests(page);
  await page.goto("/");
  const appId = await page.evaluate(() => (window as unknown as { ParleySettings: { appId: string } }).ParleySettings.appId);
  await page.evaluate(
    ([api, app]) => fetch(`${api}/v1/apps/${app}/conversation`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ visitorId: "v_preflight_probe" }) }),
    [API, appId] as const,
  );
  await expect.poll(() => seen.filter((r) => r.method === "OPTIONS").length).toBe(1);
});
