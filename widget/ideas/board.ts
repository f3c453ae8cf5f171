// The ideas board's state: the list, this user's votes, the thread of the idea open, and what the
// visitor wrote on its way to the server. Reading is open to every visitor; suggesting, voting and
// commenting need a verified claim — anything else is refused (`verification_required`) and the
// visitor's words are kept. Suggestions and comments go through an outbox as messages do: shown at
// once, kept across reloads, retried, delivered once by `clientId`. A lazy chunk, with its tab.
import { signal } from "@preact/signals-core";
import type { CommentResponse, Idea, IdeaComment, IdeaResponse, IdeasResponse, IdeaThreadResponse, IdentityVerdict } from "../../contract/wire.ts";
import { MAX_IDEA_TITLE, MAX_TEXT_LENGTH } from "../../contract/wire.ts";
import { postJson, type ApiResult } from "../core/api.ts";
import type { Chat } from "../core/chat.ts";
import { randomId } from "../core/ids.ts";
import { Outbox, webLock, type OutboxItem } from "../core/outbox.ts";

/** A suggestion (`title`, `text` its details) or a comment on `ideaId`, on its way. */
export interface IdeaItem extends OutboxItem {
  kind: "idea" | "comment";
  title?: string;
  ideaId?: string;
}

export interface Thread {
  idea: Idea;
  comments: IdeaComment[];
}

/** Where suggestions and comments on their way are kept (the chat checks it at start: see chat.ts). */
export const ideasOutboxKey = (appId: string) => `parley:${appId}:ideas-outbox`;

/** The refusal that means "sign in first": the widget says so in plain words and keeps the draft. */
export const VERIFICATION_REQUIRED = "verification_required";

const boards = new WeakMap<Chat, Board>();
/** One board per chat: the tab and a page's start (flushing what an earlier page left) share it. */
export const boardFor = (chat: Chat) => {
  let board = boards.get(chat);
  if (!board) {
    boards.set(chat, (board = new Board(chat)));
    // What an earlier page (or tab) left on its way goes now, and again as soon as the browser is back online.
    void board.outbox.flush();
    const outbox = board.outbox;
    addEventListener("online", () => outbox.kick());
  }
  return board;
};

export class Board {
  readonly ideas = signal<Idea[]>([]);
  readonly sort = signal<"top" | "new">("top");
  readonly thread = signal<Thread | null>(null);
  /** Set when the server refused a write because the claim is not verified: say so where they write. */
  readonly signInToWrite = signal(false);
  /** A quiet note after a vote the server did not take. */
  readonly note = signal<string | null>(null);
  readonly outbox: Outbox<IdeaItem>;

  constructor(private readonly _chat: Chat) {
    const key = ideasOutboxKey(_chat.appId);
    this.outbox = new Outbox<IdeaItem>(_chat.storage, key, (item) => this._deliver(item), Math.random, webLock(key));
  }

  /** Reads the board, sorted as asked. */
  async load(sort = this.sort.peek()) {
    this.sort.value = sort;
    const res = await this._post<IdeasResponse>("ideas/query", { sort });
    if (this.sort.peek() === sort && Array.isArray(res.data?.ideas)) this.ideas.value = res.data.ideas;
  }

  /** Opens an idea's thread (its comments). */
  async open(id: string) {
    const res = await this._post<IdeaThreadResponse>(`ideas/${encodeURIComponent(id)}`, {});
    if (res.data?.idea) this.thread.value = { idea: res.data.idea, comments: Array.isArray(res.data.comments) ? res.data.comments : [] };
  }

  close() {
    this.thread.value = null;
  }

  /** One click: counted at once; taken back, with a quiet note, if the server does not take it. */
  async vote(id: string) {
    const before = this.ideas.peek().find((i) => i.id === id) ?? this.thread.peek()?.idea;
    if (!before) return;
    const up = !before.voted;
    this._put({ ...before, voted: up, votes: before.votes + (up ? 1 : -1) });
    this.note.value = null;
    const res = await this._post<IdeaResponse>(`ideas/${encodeURIComponent(id)}/vote`, { up });
    if (res.data?.idea) return this._put(res.data.idea);
    this._put(before);
    if (res.error?.code === VERIFICATION_REQUIRED) this.signInToWrite.value = true;
    else this.note.value = "vote";
  }

  /** A suggestion: on the board at once (pending), delivered once. False when there is nothing to send. */
  suggest(title: string, details = ""): boolean {
    const t = clean(title).slice(0, MAX_IDEA_TITLE);
    if (!t) return false;
    this._add({ kind: "idea", title: t, text: clean(details).slice(0, MAX_TEXT_LENGTH) });
    return true;
  }

  comment(ideaId: string, text: string): boolean {
    const body = clean(text).slice(0, MAX_TEXT_LENGTH);
    if (!body) return false;
    this._add({ kind: "comment", ideaId, text: body });
    return true;
  }

  retry(clientId: string) {
    this.outbox.retry(clientId);
  }

  discard(clientId: string) {
    this.outbox.remove(clientId);
  }

  private _add(item: Pick<IdeaItem, "kind" | "title" | "text" | "ideaId">) {
    this.outbox.add({ ...item, clientId: randomId(), claim: this._chat.claim, visitorId: this._chat.visitorId.peek(), createdAt: new Date().toISOString() });
  }

  private async _deliver(item: IdeaItem) {
    const body = { visitorId: item.visitorId, clientId: item.clientId, identity: item.claim ?? undefined };
    const res =
      item.kind === "idea"
        ? await postJson<IdeaResponse>(this._chat.url("ideas"), { ...body, title: item.title, body: item.text || undefined })
        : await postJson<CommentResponse>(this._chat.url(`ideas/${encodeURIComponent(item.ideaId ?? "")}/comments`), { ...body, text: item.text });
    const idea = (res.data as IdeaResponse | undefined)?.idea;
    if (idea && !this.ideas.peek().some((i) => i.id === idea.id)) this.ideas.value = [idea, ...this.ideas.peek()];
    const comment = (res.data as CommentResponse | undefined)?.comment;
    const open = this.thread.peek();
    if (comment && open && open.idea.id === item.ideaId && !open.comments.some((c) => c.id === comment.id)) {
      this.thread.value = { idea: { ...open.idea, comments: open.idea.comments + 1 }, comments: [...open.comments, comment] };
    }
    if (res.error?.code === VERIFICATION_REQUIRED) this.signInToWrite.value = true;
    return { status: res.status, message: res.error?.message, retryAfter: res.retryAfter };
  }

  /** A read or a vote, carrying the current claim; its verdict reaches the chat like any other. */
  private async _post<T extends { identity?: IdentityVerdict }>(path: string, extra: object): Promise<ApiResult<T>> {
    const res = await postJson<T>(this._chat.url(path), { visitorId: this._chat.visitorId.peek(), identity: this._chat.claim ?? undefined, ...extra });
    const verdict = res.data?.identity ?? (res as { identity?: IdentityVerdict }).identity;
    this.signInToWrite.value = !!verdict && verdict.status !== "verified";
    return res;
  }

  private _put(idea: Idea) {
    this.ideas.value = this.ideas.peek().map((i) => (i.id === idea.id ? idea : i));
    const open = this.thread.peek();
    if (open?.idea.id === idea.id) this.thread.value = { ...open, idea };
  }
}

const clean = (text: string) => text.replaceAll("\u0000", "").trim();
