// Shared steps for the end-to-end tests: what a visitor does on the demo site, what an operator
// does in the console, and what the operator API says was stored. Nothing here replaces a part of
// Parley.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";
import type { Message } from "../../contract/wire.ts";

/** The API and the demo site (playwright.config.ts sets the port). */
export const API = `http://127.0.0.1:${process.env.PARLEY_E2E_PORT}`;
export const SITE = `http://127.0.0.1:${Number(process.env.PARLEY_E2E_PORT) + 1}`;
/** The operator console, as `parley serve` serves it beside the API. */
export const CONSOLE = `${API}/console`;

export function demoApp(): { appId: string; secrets: Record<string, string> } {
  return JSON.parse(readFileSync(join(process.env.PARLEY_E2E_DATA!, "demo.json"), "utf8"));
}

export async function admin<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${API}/v1/admin/apps/${demoApp().appId}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${process.env.PARLEY_E2E_ADMIN}`, "content-type": "application/json" },
  });
  if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** Every stored message whose text is `text`, across all conversations. */
export async function storedMessages(text: string): Promise<(Message & { conversationId: string })[]> {
  const { conversations } = await admin<{ conversations: { id: string }[] }>("/conversations");
  const found = [];
  for (const c of conversations) {
    const { messages } = await admin<{ messages: Message[] }>(`/conversations/${c.id}/messages`);
    for (const m of messages) if (m.text === text) found.push({ ...m, conversationId: c.id });
  }
  return found;
}

export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

export async function openChat(page: Page) {
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
}

export async function send(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByRole("log").getByText(text)).toBeVisible();
}

/** Waits until the server has the message, then returns what it stored. */
export async function expectStored(text: string) {
  let found: Awaited<ReturnType<typeof storedMessages>> = [];
  await expect.poll(async () => (found = await storedMessages(text)).length).toBe(1);
  return found[0]!;
}

export async function signIn(page: Page, user: "ada" | "bob") {
  await page.getByRole("button", { name: user === "ada" ? "Sign in as Ada (Pro)" : "Sign in as Bob (Free)" }).click();
}

export async function chooseProof(page: Page, label: "User hash" | "Signed payload" | "HMAC token" | "JWT (HS256)") {
  await page.getByLabel(label).check();
}

export const identityStatus = (page: Page) => page.locator("#identity-status");

/** Signs the page in to the console with the operator token (after any wait a wrong token before it asked for). */
export async function signInConsole(page: Page) {
  await page.goto(CONSOLE);
  await expect(async () => {
    if (await page.getByRole("heading", { name: "Inbox" }).isVisible()) return;
    await page.getByLabel("Operator token").fill(process.env.PARLEY_E2E_ADMIN!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20_000 });
}

/** Signs in to the console and opens a conversation from the inbox's list; returns its thread. */
export async function openInConsole(page: Page, conversationId: string) {
  await signInConsole(page);
  await page.locator(`.conversation-item[data-id="${conversationId}"]`).click();
  return page.getByRole("log", { name: "Messages" });
}

/** The widget's stored state for this page, as text: what a shared device would keep. */
export async function parleyStorage(page: Page): Promise<string> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith("parley:"))
      .map((k) => `${k}=${localStorage.getItem(k)}`)
      .join("\n"),
  );
}

/** The messages the widget shows, in order. */
export async function shownTexts(page: Page): Promise<string[]> {
  return page.getByRole("log").locator(".msg").evaluateAll((els) => els.map((e) => e.firstChild?.textContent ?? ""));
}

/** Queues `Parley('init', options)` before the page's own scripts, as a site owner's early script would. */
export async function initWith(page: Page, options: Record<string, unknown>) {
  await page.addInitScript((o) => {
    const w = window as unknown as { Parley: ((...a: unknown[]) => void) & { q?: unknown[] } };
    w.Parley = function (...args: unknown[]) {
      (w.Parley.q = w.Parley.q || []).push(args);
    };
    w.Parley("init", o);
  }, options);
}

/** Two tabs of the demo site in one browser, each with the chat open. */
export async function twoTabs(context: import("@playwright/test").BrowserContext): Promise<[Page, Page]> {
  const tabs: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage();
    await tab.goto("/");
    await openChat(tab);
    tabs.push(tab);
  }
  return [tabs[0]!, tabs[1]!];
}
