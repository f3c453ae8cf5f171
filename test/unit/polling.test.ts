// Long-polls run only while someone could see a reply: once the page is hidden the poll in flight
// is the last one, and the next starts when the page is visible again.
import { HttpResponse } from "msw";
import { afterEach, expect, it, vi } from "vitest";
import { hashA, idle, until, useApi, usePage } from "./helpers.ts";

const page = usePage();
const api = useApi();

const setHidden = (hidden: boolean) => {
  Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
};
afterEach(() => setHidden(false));

const waits = () => api.conversations().filter((r) => r.body.wait).length;

it("stops polling while the page is hidden, and starts again when it is shown", async () => {
  const chat = page.chat();
  const sync = vi.spyOn(chat, "sync");
  chat.open();
  chat.send("hello");
  await until(() => waits() === 1 && api.hanging.size === 1, "a long-poll waiting");

  setHidden(true);
  // The server answers the poll in flight (nothing new): a visible page would poll again at once.
  for (const answer of [...api.hanging]) answer();
  api.hanging.clear();
  // Once the poll's own promise has settled, the loop has already decided: a next poll would have
  // called fetch (synchronously, in sync()) before this await resumes.
  const pollCall = sync.mock.calls.findIndex(([wait]) => (wait ?? 0) > 0);
  await sync.mock.results[pollCall]!.value;
  expect(waits()).toBe(1);
  expect(api.hanging.size).toBe(0);

  setHidden(false);
  await until(() => waits() === 2 && api.hanging.size === 1, "polling again once visible");
});

it("a restarting server's 503 with Retry-After is honoured: the next poll waits that long, not a storm", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  vi.spyOn(Math, "random").mockReturnValue(0);
  api.onPoll = (_, nth) =>
    nth === 0 ? HttpResponse.json({ error: { code: "shutting_down", message: "The server is restarting." } }, { status: 503, headers: { "Retry-After": "5" } }) : undefined;
  // Signed in: the widget reads the conversation at start, then listens.
  const chat = page.chat({ claim: hashA });
  chat.open();
  await until(() => waits() === 1, "the first poll, answered 503");
  await idle(chat);
  // Our own backoff after one failure would be 1 s; the server asked for 5.
  await vi.advanceTimersByTimeAsync(4_999);
  expect(waits()).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  await until(() => waits() === 2 && api.hanging.size === 1, "the poll after Retry-After");
});
