// The Ideas tab's board, against a fake server on msw: reading is open, writing needs a verified
// claim; votes count at once and are taken back (with a quiet note, or the sign-in sentence) when
// refused; suggestions and comments go through the outbox (shown at once, delivered once) and a
// refused one keeps the visitor's words.
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Idea } from "../../contract/wire.ts";
import { boardFor } from "../../widget/ideas/board.ts";
import { API, hashA, until, useApi, usePage } from "./helpers.ts";

// The board as it is, seen: which chats a page's start gave one (the chunk is fetched only then).
vi.mock("../../widget/ideas/board.ts", async (original) => {
  const board = await original<typeof import("../../widget/ideas/board.ts")>();
  return { ...board, boardFor: vi.fn(board.boardFor) };
});

const page = usePage();
const api = useApi();

const idea = (id: string, votes = 0, voted = false): Idea => ({ id, title: `Idea ${id}`, body: "", status: "open", votes, voted, comments: 0, createdAt: "2026-11-20T10:00:00.000Z", author: {} });
const verified = { status: "verified", userId: hashA.userId };
const anonymous = { status: "anonymous" };
const refused = () => HttpResponse.json({ error: { code: "verification_required", message: "Sign in to take part." }, identity: anonymous }, { status: 403 });

/** A board server: a list, votes and suggestions, answering as the claim deserves. */
function fakeBoard(ideas: Idea[]) {
  const seen = { votes: [] as any[], ideas: [] as any[], queries: [] as any[] };
  api.server.use(
    http.post(`${API}/v1/apps/:app/ideas/query`, async ({ request }) => {
      const body: any = await request.json();
      seen.queries.push(body);
      return HttpResponse.json({ ideas, identity: body.identity ? verified : anonymous });
    }),
    http.post(`${API}/v1/apps/:app/ideas/:id/vote`, async ({ request, params }) => {
      const body: any = await request.json();
      seen.votes.push(body);
      if (!body.identity) return refused();
      const i = ideas.find((x) => x.id === params.id)!;
      const changed = { ...i, voted: body.up, votes: i.votes + (body.up === i.voted ? 0 : body.up ? 1 : -1) };
      ideas = ideas.map((x) => (x.id === i.id ? changed : x));
      return HttpResponse.json({ idea: changed, identity: verified });
    }),
    http.post(`${API}/v1/apps/:app/ideas`, async ({ request }) => {
      const body: any = await request.json();
      seen.ideas.push(body);
      if (!body.identity) return refused();
      const again = ideas.find((x) => x.id === `i_${body.clientId}`);
      if (again) return HttpResponse.json({ idea: again, identity: verified });
      const made = { ...idea(`i_${body.clientId}`), title: body.title, body: body.body ?? "" };
      ideas = [made, ...ideas];
      return HttpResponse.json({ idea: made, identity: verified }, { status: 201 });
    }),
  );
  return seen;
}

describe("the ideas board", () => {
  it("reads the board for anyone, sorted as asked, and says signing in is needed to write when not verified", async () => {
    const seen = fakeBoard([idea("a", 3), idea("b", 1)]);
    const board = boardFor(page.chat());
    await board.load();
    expect(board.ideas.value.map((i) => i.id)).toEqual(["a", "b"]);
    expect(board.signInToWrite.value).toBe(true);
    await board.load("new");
    expect(seen.queries.map((q) => q.sort)).toEqual(["top", "new"]);
    const signedIn = boardFor(page.chat({ claim: hashA }));
    await signedIn.load();
    expect(signedIn.signInToWrite.value).toBe(false);
  });

  it("a vote counts at once and stays when the server takes it; a second click takes it back", async () => {
    const seen = fakeBoard([idea("a", 3)]);
    const board = boardFor(page.chat({ claim: hashA }));
    await board.load();
    const voting = board.vote("a");
    expect(board.ideas.value[0]).toMatchObject({ votes: 4, voted: true });
    await voting;
    expect(board.ideas.value[0]).toMatchObject({ votes: 4, voted: true });
    await board.vote("a");
    expect(board.ideas.value[0]).toMatchObject({ votes: 3, voted: false });
    expect(seen.votes.map((v) => v.up)).toEqual([true, false]);
  });

  it("a refused vote is taken back: the sign-in sentence when not verified, a quiet note on any other failure", async () => {
    fakeBoard([idea("a", 3)]);
    const anon = boardFor(page.chat());
    await anon.load();
    await anon.vote("a");
    expect(anon.ideas.value[0]).toMatchObject({ votes: 3, voted: false });
    expect(anon.signInToWrite.value).toBe(true);
    expect(anon.note.value).toBeNull();

    const board = boardFor(page.chat({ claim: hashA }));
    await board.load();
    api.server.use(http.post(`${API}/v1/apps/:app/ideas/:id/vote`, () => HttpResponse.json({ error: { code: "internal", message: "x" } }, { status: 500 })));
    await board.vote("a");
    expect(board.ideas.value[0]).toMatchObject({ votes: 3, voted: false });
    expect(board.note.value).toBe("vote");
  });

  it("a suggestion shows at once as pending, is delivered once, and joins the board", async () => {
    const seen = fakeBoard([]);
    const board = boardFor(page.chat({ claim: hashA }));
    expect(board.suggest("  Dark mode  ", "Please")).toBe(true);
    expect(board.outbox.items.value.map((i) => [i.kind, i.title, i.text, i.state])).toEqual([["idea", "Dark mode", "Please", "pending"]]);
    await until(() => board.outbox.items.value.length === 0, "the suggestion delivered");
    expect(board.ideas.value.map((i) => i.title)).toEqual(["Dark mode"]);
    expect(seen.ideas).toHaveLength(1);
    expect(seen.ideas[0]).toMatchObject({ title: "Dark mode", body: "Please", identity: hashA });
    expect(board.suggest("   ")).toBe(false);
  });

  it("a suggestion refused for want of verification keeps the visitor's words, marked not sent, to retry after signing in", async () => {
    fakeBoard([]);
    const board = boardFor(page.chat());
    board.suggest("Export to CSV");
    await until(() => board.outbox.items.value[0]?.state === "failed", "the refusal");
    expect(board.outbox.items.value[0]).toMatchObject({ title: "Export to CSV", state: "failed" });
    expect(board.signInToWrite.value).toBe(true);
    expect(JSON.parse(localStorage.getItem("parley:app_test:ideas-outbox")!)[0].title).toBe("Export to CSV");
  });

  it("what an earlier page left on its way is delivered when the next page starts, once", async () => {
    const seen = fakeBoard([]);
    const item = { kind: "idea", title: "Left behind", text: "", clientId: "c_left", claim: hashA, visitorId: "v_1", createdAt: "2026-11-20T10:00:00.000Z", state: "pending", attempts: 0 };
    localStorage.setItem("parley:app_test:ideas-outbox", JSON.stringify([item]));
    page.chat({ claim: hashA });
    await until(() => seen.ideas.length === 1 && localStorage.getItem("parley:app_test:ideas-outbox") === null, "the delivery");
    expect(seen.ideas[0]).toMatchObject({ clientId: "c_left", title: "Left behind" });
  });

  it("a page with nothing left on its way does not load the board at start", async () => {
    fakeBoard([]);
    const quiet = page.chat();
    // Another app's widget on the page, with a suggestion left on its way: its start loads the board.
    const item = { kind: "idea", title: "Left behind", text: "", clientId: "c_left", claim: hashA, visitorId: "v_1", createdAt: "2026-11-20T10:00:00.000Z", state: "pending", attempts: 0 };
    localStorage.setItem("parley:app_busy:ideas-outbox", JSON.stringify([item]));
    const busy = page.chat({ appId: "app_busy", claim: hashA });
    const given = () => vi.mocked(boardFor).mock.calls.map(([chat]) => chat);
    await until(() => given().includes(busy), "the busy page's board");
    // The quiet page started first: had it asked for the board, it would have had it before.
    expect(given()).not.toContain(quiet);
  });
});

describe("the Ideas tab", () => {
  it("lists ideas with a named vote button; a visitor who is not verified sees the sign-in sentence where the button would be, and keeps what they typed", async () => {
    const { mount, loadPanel } = await import("../../widget/ui/mount.ts");
    const { loadIdeasTab } = await import("../../widget/ui/panel.tsx");
    fakeBoard([idea("a", 3, false)]);
    const chat = page.chat({ tabs: ["chat", "ideas"] });
    page.cleanup(mount(chat, { position: "right", theme: "light" }));
    const root = document.querySelector("[data-parley]")!.shadowRoot!;
    chat.open();
    await loadPanel();
    await until(() => root.querySelector('[role="tab"]'), "the tabs");
    (Array.from(root.querySelectorAll('[role="tab"]')).find((b) => b.textContent === "Ideas") as HTMLButtonElement).click();
    await loadIdeasTab();
    await until(() => root.querySelector("button.vote"), "the board");
    const vote = root.querySelector("button.vote")!;
    expect(vote.getAttribute("aria-label")).toBe("Vote for Idea a, 3 votes");
    expect(vote.getAttribute("aria-pressed")).toBe("false");
    await until(() => root.querySelector(".suggest .note"), "the sign-in sentence");
    expect(root.querySelector(".suggest .note")!.textContent).toBe("Sign in to suggest ideas, vote and comment. What you typed is kept.");
    expect(root.querySelector('.suggest button[type="submit"]')).toBeNull();
    expect(root.querySelector('.suggest input[aria-label="Your idea"]')).not.toBeNull();
  });
});
