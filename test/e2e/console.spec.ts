// The operator console, as an operator uses it, against the real server and a visitor on the demo
// site: signing in (a session cookie, nothing in page storage), live messages with their verdicts,
// replies, a reader who scrolled up left where they are, keys that verify and stop verifying at
// once, the mode and origins applying on the next request, What's new, 401 without a session, axe
// on every screen, and a phone's width with no sideways scrolling.
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signPayload } from "../../server/sign.ts";
import { API, chooseProof, CONSOLE, demoApp, openChat, send, signIn, signInConsole, SITE, unique } from "./helpers.ts";

const TOKEN = process.env.PARLEY_E2E_ADMIN!;

/** A visitor's message straight to the API, as the widget sends it from the demo site. */
async function visitorSays(text: string, identity?: unknown, visitorId = `v_${randomBytes(9).toString("base64url")}`) {
  const res = await fetch(`${API}/v1/apps/${demoApp().appId}/messages`, {
    method: "POST",
    headers: { "content-type": "text/plain", origin: SITE },
    body: JSON.stringify({ visitorId, clientId: `c_${randomBytes(9).toString("base64url")}`, text, identity }),
  });
  return { status: res.status, body: (await res.json()) as { message: { id: string }; identity: { status: string; reason?: string } }, visitorId };
}

const conversationItem = (page: Page, text: string) => page.locator(".conversation-item", { hasText: text });
const thread = (page: Page) => page.getByRole("log", { name: "Messages" });
const messageWith = (page: Page, text: string) => thread(page).locator("article.message", { hasText: text });

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The page does not scroll sideways, and nothing sticks out of the window (clipped where it is hidden); a code block may scroll inside itself. */
async function noSidewaysScroll(page: Page) {
  const { scroll, width, outside } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => !el.closest("pre") && el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`);
    return { scroll: document.documentElement.scrollWidth, width, outside };
  });
  expect(scroll, `page is ${scroll}px wide in a ${width}px window`).toBeLessThanOrEqual(width);
  expect(outside).toEqual([]);
}

test.describe.configure({ mode: "serial" });

test("sign in: a wrong token is refused and slowed down; the right one makes an httpOnly, SameSite=Strict cookie and nothing in page storage; sign out ends it", async ({ page, context }) => {
  await page.goto(CONSOLE);
  await expect(page.getByRole("heading", { name: "Parley console" })).toBeVisible();
  await page.getByLabel("Operator token").fill("not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That is not the operator token");
  await signInConsole(page);
  const cookie = (await context.cookies(CONSOLE)).find((c) => c.name === "parley_console")!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/console" });
  expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(["", 0, 0]);
  expect(await page.content()).not.toContain(TOKEN);
  // A reload keeps the session (the cookie), and the URL says where the operator is.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  expect(page.url()).toMatch(/\/console\/apps\/app_[^/]+\/inbox$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByLabel("Operator token")).toBeVisible();
  expect(await page.evaluate(async () => (await fetch("/console/api/apps")).status)).toBe(401);
});

test("the demo site's operator link opens the console", async ({ page }) => {
  await page.goto("/");
  const opened = page.waitForEvent("popup");
  await page.getByRole("link", { name: /Operator console/ }).click();
  const consolePage = await opened;
  await expect(consolePage.getByLabel("Operator token")).toBeVisible();
  expect(consolePage.url()).toBe(CONSOLE);
  await consolePage.close();
});

test("no session cookie: every console API route answers 401 with a JSON error", async ({ request }) => {
  const app = demoApp().appId;
  const routes: [string, string][] = [
    ["GET", "/console/api/session"],
    ["DELETE", "/console/api/session"],
    ["GET", "/console/api/apps"],
    ["POST", "/console/api/apps"],
    ["PATCH", `/console/api/apps/${app}`],
    ["GET", `/console/api/apps/${app}/keys`],
    ["POST", `/console/api/apps/${app}/keys`],
    ["DELETE", `/console/api/apps/${app}/keys/key_x`],
    ["GET", `/console/api/apps/${app}/conversations`],
    ["GET", `/console/api/apps/${app}/conversations/conv_x/messages`],
    ["POST", `/console/api/apps/${app}/conversations/conv_x/replies`],
    ["PATCH", `/console/api/apps/${app}/conversations/conv_x`],
    ["GET", `/console/api/apps/${app}/contacts/u_ada`],
    ["GET", `/console/api/apps/${app}/announcements`],
    ["POST", `/console/api/apps/${app}/announcements`],
    ["GET", `/console/api/apps/${app}/attributes`],
    ["GET", `/console/api/apps/${app}/ideas`],
    ["PATCH", `/console/api/apps/${app}/ideas/idea_x`],
  ];
  for (const [method, path] of routes) {
    const res = await request.fetch(API + path, { method, data: method === "GET" || method === "DELETE" ? undefined : {}, headers: { "sec-fetch-site": "same-origin" } });
    expect(res.status(), `${method} ${path}`).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "signed_out", message: "Sign in to the console with the operator token." } });
  }
});

test("a visitor's verified message appears in the open inbox by itself, with its badge; the reply (Enter; Shift+Enter for a new line) reaches the visitor", async ({ page, browser }) => {
  await signInConsole(page);
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/");
  await signIn(visitor, "ada");
  await openChat(visitor);
  const question = unique("annual billing?");
  await send(visitor, question);
  // No reload, no click: the long-poll brings it.
  await expect(conversationItem(page, question)).toBeVisible({ timeout: 10_000 });
  await conversationItem(page, question).click();
  const line = messageWith(page, question);
  await expect(line).toBeVisible();
  await expect(line.locator(".badge")).toHaveText("Verified");
  await expect(page.getByRole("complementary", { name: "Contact" })).toContainText("u_ada");

  // A second message while the conversation is open joins the thread.
  const follow = unique("and invoices?");
  await send(visitor, follow);
  await expect(messageWith(page, follow)).toBeVisible({ timeout: 10_000 });

  const reply = page.getByRole("textbox", { name: "Reply" });
  await reply.click();
  await page.keyboard.type("Yes, you can.");
  await page.keyboard.press("Shift+Enter");
  const second = unique("Invoices are in Billing.");
  await page.keyboard.type(second);
  await page.keyboard.press("Enter");
  await expect(reply).toHaveValue("");
  await expect(reply).toBeFocused();
  const answered = visitor.getByRole("log").locator(".msg", { hasText: second });
  await expect(answered).toBeVisible({ timeout: 10_000 });
  await expect(answered).toContainText("Yes, you can.");
  await expect(messageWith(page, second).locator(".text")).toHaveText(`Yes, you can.\n${second}`);
  await visitor.context().close();
});

test("a rejected message shows its reason and the id it claimed, as unproven", async ({ page, browser }) => {
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/");
  await visitor.getByLabel(/Tamper with the proof/).check();
  await signIn(visitor, "ada");
  await openChat(visitor);
  const text = unique("forged hello");
  await send(visitor, text);
  await signInConsole(page);
  await conversationItem(page, text).click();
  const line = messageWith(page, text);
  await expect(line.locator(".badge")).toHaveText("Rejected: bad_signature");
  // The demo tampers as an attacker would: Ada's hash proof, edited to name u_ada_admin.
  await expect(line.locator(".claimed")).toHaveText("Claimed to be u_ada_admin — unproven");
  // The conversation is an anonymous visitor's, never Ada's.
  await expect(page.getByRole("complementary", { name: "Contact" })).toContainText("Anonymous");
  await visitor.context().close();
});

test("reading older messages: a new one does not move the view, the selection, the focus or the draft, and nothing shown is drawn again", async ({ page }) => {
  const first = unique("long thread");
  const { visitorId } = await visitorSays(first);
  for (let i = 1; i <= 40; i++) await visitorSays(`${first} line ${i}`, undefined, visitorId);
  await page.setViewportSize({ width: 1100, height: 600 });
  await signInConsole(page);
  await conversationItem(page, `${first} line 40`).click();
  await expect(messageWith(page, `${first} line 40`)).toBeVisible();
  const log = thread(page);
  // Scroll up to read the first message, select its words, mark its node, type a draft.
  await log.evaluate((el) => (el.scrollTop = 0));
  await page.evaluate((text) => {
    const p = [...document.querySelectorAll<HTMLElement>("article.message .text")].find((e) => e.textContent === text)!;
    (p as HTMLElement & { marked?: boolean }).marked = true;
    const range = document.createRange();
    range.selectNodeContents(p);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  }, first);
  const reply = page.getByRole("textbox", { name: "Reply" });
  const before = await log.evaluate((el) => el.scrollTop);
  expect(before).toBe(0);

  const late = unique("a late message");
  await visitorSays(late, undefined, visitorId);
  await expect(page.getByRole("button", { name: /1 new message/ })).toBeVisible({ timeout: 10_000 });
  expect(await log.evaluate((el) => el.scrollTop)).toBe(before);
  expect(await page.evaluate(() => getSelection()!.toString())).toBe(first);
  expect(await page.evaluate((text) => [...document.querySelectorAll<HTMLElement & { marked?: boolean }>("article.message .text")].find((e) => e.textContent === text)!.marked, first)).toBe(true);

  // Focus and a draft in the reply box survive a new message too.
  await reply.fill("half a thought");
  await reply.focus();
  const later = unique("another one");
  await visitorSays(later, undefined, visitorId);
  await expect(page.getByRole("button", { name: /2 new messages/ })).toBeVisible({ timeout: 10_000 });
  await expect(reply).toBeFocused();
  await expect(reply).toHaveValue("half a thought");
  expect(await log.evaluate((el) => el.scrollTop)).toBe(before);

  // Jumping down shows them; from the bottom, the next one is followed.
  await page.getByRole("button", { name: /2 new messages/ }).click();
  await expect(messageWith(page, later)).toBeInViewport();
  const last = unique("the newest");
  await visitorSays(last, undefined, visitorId);
  await expect(messageWith(page, last)).toBeInViewport({ timeout: 10_000 });
});

test("close and reopen; a closed conversation moves to Closed, and the visitor writing again reopens it", async ({ page }) => {
  const text = unique("please close me");
  const { visitorId } = await visitorSays(text);
  await signInConsole(page);
  await conversationItem(page, text).click();
  await page.getByRole("button", { name: "Close", exact: true }).click();
  await expect(page.getByText("Closed. A new message from this visitor reopens it.")).toBeVisible();
  await page.getByRole("button", { name: /^Closed/ }).click();
  await expect(conversationItem(page, text)).toBeVisible();
  await page.getByRole("button", { name: "Reopen" }).click();
  await page.getByRole("button", { name: /^Open/ }).click();
  await expect(conversationItem(page, text)).toBeVisible();
  await page.getByRole("button", { name: "Close", exact: true }).click();
  const again = unique("one more thing");
  await visitorSays(again, undefined, visitorId);
  await expect(page.getByRole("button", { name: "Close", exact: true })).toBeVisible({ timeout: 10_000 });
});

test("Settings: a key created here verifies a proof at once, and once revoked fails at once; the secret is shown once, with the snippet filled in", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: API });
  await signInConsole(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeFocused();
  await page.getByLabel("Kind of proof").selectOption("payload");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel(/^Secret of key_/).inputValue();
  expect(secret.length).toBeGreaterThan(20);
  const panel = page.getByRole("region", { name: /created — copy its secret now/ });
  const keyId = (await panel.getByRole("heading").locator("code").textContent())!;
  await expect(panel.getByLabel("Signing code for your backend")).toContainText(secret);
  await expect(panel.getByLabel("Signing code for your backend")).toContainText(demoApp().appId);
  await panel.getByRole("button", { name: "Copy secret" }).click();
  await expect(panel.getByText("Copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const proof = signPayload(secret, { id: "u_console_key", plan: "pro" });
  expect((await visitorSays(unique("signed with the new key"), proof)).body.identity).toMatchObject({ status: "verified" });

  await panel.getByRole("button", { name: "I have stored the secret" }).click();
  await expect(page.getByLabel(/^Secret of key_/)).toHaveCount(0);
  const row = page.locator(".keys li", { hasText: keyId });
  await row.getByRole("button", { name: "Revoke…" }).click();
  await expect(row.getByRole("button", { name: "Cancel" })).toBeFocused();
  await row.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  expect((await visitorSays(unique("signed with the revoked key"), proof)).body.identity).toMatchObject({ status: "rejected", reason: "revoked_key" });
});

test("Settings: the mode and the allowed origins apply to the very next request", async ({ page }) => {
  await signInConsole(page);
  await page.getByRole("link", { name: "Settings" }).click();
  const bare = { userId: "u_bare" };
  expect((await visitorSays(unique("bare id"), bare)).body.identity).toMatchObject({ status: "rejected", reason: "missing_proof" });
  await page.getByLabel(/Proof optional/).check();
  await expect(page.getByRole("status").filter({ hasText: "applies from the widget's next request" }).first()).toBeVisible();
  expect((await visitorSays(unique("bare id, optional"), bare)).body.identity).toMatchObject({ status: "unverified" });
  await page.getByLabel(/Proof required/).check();
  await expect(page.getByLabel(/Proof required/)).toBeChecked();
  await expect.poll(async () => (await visitorSays(unique("bare id, required"), bare)).body.identity.status).toBe("rejected");

  const shop = "https://shop.example.com";
  const fromShop = () =>
    fetch(`${API}/v1/apps/${demoApp().appId}/messages`, { method: "POST", headers: { "content-type": "text/plain", origin: shop }, body: JSON.stringify({ visitorId: `v_${randomBytes(9).toString("base64url")}`, clientId: `c_${randomBytes(9).toString("base64url")}`, text: "from the shop" }) }).then((r) => r.status);
  expect(await fromShop()).toBe(403);
  await page.getByLabel("Origin to allow").fill(shop);
  await page.getByRole("button", { name: "Add origin" }).click();
  await expect(page.locator(".origins")).toContainText(shop);
  expect(await fromShop()).toBe(201);
  await page.getByRole("button", { name: `Remove ${shop}` }).click();
  await expect(page.locator(".origins")).not.toContainText(shop);
  expect(await fromShop()).toBe(403);
  // A mistyped origin is refused with the server's sentence.
  await page.getByLabel("Origin to allow").fill("shop.example.com");
  await page.getByRole("button", { name: "Add origin" }).click();
  await expect(page.getByRole("alert")).toContainText("must be http(s) origins");
});

test("What's new: an announcement for an audience picked from verified attributes, with its reach and reads; deleted after a confirmation", async ({ page, browser }) => {
  // Ada, verified by a signed payload, makes a contact with plan "pro".
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/");
  await chooseProof(visitor, "Signed payload");
  await signIn(visitor, "ada");
  await openChat(visitor);
  await send(visitor, unique("hello from a payload"));
  await visitor.context().close();

  await signInConsole(page);
  await page.getByRole("link", { name: "What's new" }).click();
  const title = unique("Pro news");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Text").fill("Priority support.\n\nDetails: https://example.com/pro");
  await page.getByLabel("Verified users whose attributes match").check();
  await page.getByRole("group", { name: "plan" }).getByLabel(/^pro/).check();
  await expect(page.locator(".reach")).toContainText(/plan: pro — reaches [1-9]\d* of \d+ verified contacts now/);
  await page.getByRole("button", { name: "Publish" }).click();
  const item = page.locator(".announcements li", { hasText: title });
  await expect(item).toContainText("For: plan: pro");
  await expect(item).toContainText(/reaches [1-9]\d* verified contact/);
  await expect(item).toContainText("Read by 0 people");
  await item.getByRole("button", { name: "Delete…" }).click();
  await item.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.locator(".announcements li", { hasText: title })).toHaveCount(0);
});

/** A request of the widget's to the API, from the demo site's origin. */
async function widgetCall<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${API}/v1/apps/${demoApp().appId}${path}`, { method: "POST", headers: { "content-type": "text/plain", origin: SITE }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
}

test("Feedback: ideas by votes with their verified voters and attributes; a status set here is what the widget's board shows", async ({ page }) => {
  const secret = demoApp().secrets.payload!;
  const id = () => `v_${randomBytes(9).toString("base64url")}`;
  const ada = signPayload(secret, { id: "u_feedback_ada", plan: "pro" });
  const bob = signPayload(secret, { id: "u_feedback_bob", plan: "free" });
  const title = unique("Dark mode for invoices");
  const suggested = await widgetCall<{ idea: { id: string } }>("/ideas", { visitorId: id(), clientId: `c_${randomBytes(9).toString("base64url")}`, title, identity: ada });
  expect(suggested.status).toBe(201);
  const ideaId = suggested.body.idea.id;
  for (const identity of [ada, bob]) expect((await widgetCall(`/ideas/${ideaId}/vote`, { visitorId: id(), identity, up: true })).status).toBe(200);

  await signInConsole(page);
  await page.getByRole("link", { name: "Feedback" }).click();
  const item = page.locator(".ideas > li", { hasText: title });
  await expect(item.getByLabel("2 votes")).toBeVisible();
  await expect(item).toContainText("Suggested by u_feedback_ada");
  await expect(item).toContainText(/Voters by plan: (pro 1, free 1|free 1, pro 1)/);
  await item.getByText("2 verified voters").click();
  await expect(item.locator(".voters")).toContainText("u_feedback_ada plan: pro");
  await expect(item.locator(".voters")).toContainText("u_feedback_bob plan: free");

  await item.getByLabel(`Status of “${title}”`).selectOption("planned");
  await expect(item.getByRole("status")).toContainText("Now planned");
  const board = await widgetCall<{ ideas: { id: string; status: string }[] }>("/ideas/query", { visitorId: id() });
  expect(board.body.ideas.find((i) => i.id === ideaId)?.status).toBe("planned");
  expect(await axe(page), "feedback").toEqual([]);
});

test("pushed, not polled: a vote and a new message show in the open console by themselves, over its event stream", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (r) => r.url().includes("/console/api/") && asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
  const secret = demoApp().secrets.payload!;
  const id = () => `v_${randomBytes(9).toString("base64url")}`;
  const title = unique("Pushed idea");
  const suggested = await widgetCall<{ idea: { id: string } }>("/ideas", { visitorId: id(), clientId: `c_${randomBytes(9).toString("base64url")}`, title, identity: signPayload(secret, { id: "u_push_ada", plan: "pro" }) });
  await signInConsole(page);
  await page.getByRole("link", { name: "Feedback" }).click();
  const item = page.locator(".ideas > li", { hasText: title });
  await expect(item.getByLabel("1 vote")).toBeVisible();
  await widgetCall(`/ideas/${suggested.body.idea.id}/vote`, { visitorId: id(), identity: signPayload(secret, { id: "u_push_bob", plan: "free" }), up: true });
  await expect(item.getByLabel("2 votes")).toBeVisible();

  await page.getByRole("link", { name: "Inbox" }).click();
  const text = unique("a message pushed to the console");
  await visitorSays(text);
  await expect(conversationItem(page, text)).toBeVisible();
  expect(asked.some((p) => p.endsWith("/events"))).toBe(true);
  expect(asked.filter((p) => p.includes("wait="))).toEqual([]);
});

test("axe finds no violation on any screen", async ({ page, browser }) => {
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(CONSOLE);
  await expect(fresh.getByLabel("Operator token")).toBeVisible();
  expect(await axe(fresh), "sign-in").toEqual([]);
  await fresh.context().close();

  const text = unique("axe me");
  await visitorSays(text);
  await signInConsole(page);
  await conversationItem(page, text).click();
  await expect(messageWith(page, text)).toBeVisible();
  expect(await axe(page), "inbox").toEqual([]);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("region", { name: /copy its secret now/ })).toBeVisible();
  expect(await axe(page), "settings").toEqual([]);
  await page.getByRole("button", { name: "I have stored the secret" }).click();
  await page.getByRole("link", { name: "What's new" }).click();
  await page.getByLabel("Verified users whose attributes match").check();
  await expect(page.locator(".reach")).toContainText("reaches");
  expect(await axe(page), "what's new").toEqual([]);
  await page.getByRole("link", { name: "New app" }).click();
  await expect(page.getByRole("heading", { name: "New app" })).toBeVisible();
  expect(await axe(page), "new app").toEqual([]);
});

test("390 px wide: every screen fits, and the inbox shows the list or the conversation", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const text = unique("from a phone's point of view");
  await visitorSays(text);
  await page.goto(CONSOLE);
  await noSidewaysScroll(page);
  await signInConsole(page);
  await noSidewaysScroll(page);
  await conversationItem(page, text).click();
  await expect(messageWith(page, text)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeHidden();
  await noSidewaysScroll(page);
  await page.getByRole("button", { name: "Contact" }).click();
  await expect(page.getByRole("complementary", { name: "Contact" })).toBeVisible();
  await noSidewaysScroll(page);
  await page.getByRole("link", { name: "Conversations" }).click();
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  for (const screen of ["Feedback", "Settings", "What's new"]) {
    await page.getByRole("link", { name: screen }).click();
    await expect(page.getByRole("heading", { name: screen, level: 1 })).toBeVisible();
    await noSidewaysScroll(page);
  }
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("region", { name: /copy its secret now/ })).toBeVisible();
  await noSidewaysScroll(page);
  await context.close();
});

