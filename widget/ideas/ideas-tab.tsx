// The Ideas tab, a lazy chunk: the board sorted by votes (or newest), one-click votes, an idea's
// thread with its comments, and a suggestion form. A visitor who is not verified reads everything
// and, where they would write, is told in one sentence that signing in lets them take part; what
// they typed stays.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Idea } from "../../contract/wire.ts";
import { MAX_IDEA_TITLE } from "../../contract/wire.ts";
import type { Chat } from "../core/chat.ts";
import type { Strings } from "../ui/panel-strings.ts";
import { useSignal } from "../ui/use-signal.ts";
import { boardFor, type Board, type IdeaItem } from "./board.ts";
import { ideasStrings } from "./strings.ts";
import { adoptIdeasSheet } from "./styles.ts";

export function IdeasTab({ chat, t }: { chat: Chat; t: Strings }) {
  const board = boardFor(chat);
  const thread = useSignal(board.thread);
  const el = useRef<HTMLDivElement>(null);
  // Where the focus goes after a move made here: into a thread opened from the board, back to its
  // title on the board. Nowhere when the tab is shown again: the focus stays on the tab.
  const focus = useRef<Focus>({});
  useEffect(() => {
    adoptIdeasSheet(el.current!);
    void board.load();
  }, [board]);
  return (
    <div ref={el} class="ideas">
      {thread ? <Thread board={board} t={t} focus={focus.current} /> : <List board={board} chat={chat} t={t} focus={focus.current} />}
    </div>
  );
}

interface Focus {
  thread?: boolean;
  title?: string;
}

function List({ board, chat, t, focus }: { board: Board; chat: Chat; t: Strings; focus: Focus }) {
  const ideas = useSignal(board.ideas);
  const sort = useSignal(board.sort);
  const note = useSignal(board.note);
  const pending = useSignal(board.outbox.items).filter((i) => i.kind === "idea" && i.visitorId === chat.visitorId.peek());
  const x = ideasStrings(t.lang);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const back = focus.title;
    focus.title = undefined;
    if (back) Array.from(list.current!.querySelectorAll<HTMLElement>("button.title")).find((b) => b.dataset.id === back)?.focus();
  }, []);
  return (
    <>
      <Suggest board={board} t={t} />
      <div class="sort" role="group" aria-label={x.sortBy}>
        {(["top", "new"] as const).map((s) => (
          <button key={s} type="button" aria-pressed={sort === s} onClick={() => void board.load(s)}>
            {s === "top" ? x.top : x.newest}
          </button>
        ))}
      </div>
      {note && <p class="note" role="status">{x.voteFailed}</p>}
      <ul class="board" ref={list}>
        {pending.map((item) => (
          <Pending key={item.clientId} item={item} board={board} t={t} />
        ))}
        {ideas.map((idea) => (
          <li key={idea.id}>
            <Vote idea={idea} board={board} t={t} />
            <div>
              <button type="button" class="title" data-id={idea.id} onClick={() => ((focus.thread = true), void board.open(idea.id))}>
                {idea.title}
              </button>
              <p class="meta">
                <span class={`status ${idea.status}`}>{x.status[idea.status] ?? idea.status}</span>
                <span>{x.comments.replace("{n}", String(idea.comments))}</span>
              </p>
            </div>
          </li>
        ))}
      </ul>
      {!ideas.length && !pending.length && <p class="empty">{x.empty}</p>}
    </>
  );
}

function Vote({ idea, board, t }: { idea: Idea; board: Board; t: Strings }) {
  return (
    <button type="button" class="vote" aria-pressed={idea.voted} aria-label={`${ideasStrings(t.lang).vote.replace("{title}", idea.title)}, ${ideasStrings(t.lang).votes.replace("{n}", String(idea.votes))}`} onClick={() => void board.vote(idea.id)}>
      <span aria-hidden="true">▲</span>
      {idea.votes}
    </button>
  );
}

function Pending({ item, board, t }: { item: IdeaItem; board: Board; t: Strings }) {
  return (
    <li class={`pending ${item.state}`}>
      <div>
        <p class="title">{item.title ?? item.text}</p>
        <p class="meta">
          {item.state === "pending" ? (
            t.sending
          ) : (
            <>
              {t.notSent}
              <button class="act" type="button" onClick={() => board.retry(item.clientId)}>
                {t.retry}
              </button>
              <button class="act" type="button" onClick={() => board.discard(item.clientId)}>
                {t.remove}
              </button>
            </>
          )}
        </p>
      </div>
    </li>
  );
}

/** The suggestion form; for a visitor who is not verified, the sentence instead of the button. */
function Suggest({ board, t }: { board: Board; t: Strings }) {
  const signIn = useSignal(board.signInToWrite);
  const [title, setTitle] = useState("");
  const [details, setDetails] = useState("");
  const x = ideasStrings(t.lang);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!signIn && board.suggest(title, details)) {
      setTitle("");
      setDetails("");
    }
  };
  return (
    <form class="suggest" onSubmit={submit}>
      <input aria-label={x.title} placeholder={x.title} maxLength={MAX_IDEA_TITLE} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      <textarea rows={2} aria-label={x.details} placeholder={x.details} value={details} onInput={(e) => setDetails(e.currentTarget.value)} />
      {signIn ? <p class="note">{x.signIn}</p> : <button type="submit">{x.suggest}</button>}
    </form>
  );
}

function Thread({ board, t, focus }: { board: Board; t: Strings; focus: Focus }) {
  const thread = useSignal(board.thread)!;
  const signIn = useSignal(board.signInToWrite);
  const pending = useSignal(board.outbox.items).filter((i) => i.kind === "comment" && i.ideaId === thread.idea.id);
  const [text, setText] = useState("");
  const x = ideasStrings(t.lang);
  const { idea, comments } = thread;
  const backButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focus.thread) backButton.current!.focus();
    focus.thread = false;
  }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!signIn && board.comment(idea.id, text)) setText("");
  };
  return (
    <article class="thread">
      <button type="button" class="act" ref={backButton} onClick={() => ((focus.title = idea.id), board.close())}>
        ← {x.back}
      </button>
      <div class="head-row">
        <Vote idea={idea} board={board} t={t} />
        <h3>{idea.title}</h3>
      </div>
      <p class="meta">
        <span class={`status ${idea.status}`}>{x.status[idea.status] ?? idea.status}</span>
      </p>
      {idea.body && <p class="text">{idea.body}</p>}
      <ul class="comments">
        {comments.map((c) => (
          <li key={c.id}>
            <small>{c.author.name ?? (c.author.type === "operator" ? t.support : "")}</small>
            {c.text}
          </li>
        ))}
        {pending.map((item) => (
          <li key={item.clientId} class={item.state}>
            {item.text}
            <small>{item.state === "pending" ? t.sending : t.notSent}</small>
          </li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <textarea rows={2} aria-label={x.comment} placeholder={x.comment} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        {signIn ? <p class="note">{x.signIn}</p> : <button type="submit">{x.post}</button>}
      </form>
    </article>
  );
}
