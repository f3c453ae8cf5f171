// The panel, a lazy chunk: the conversation and a composer, rendered with Preact into the
// launcher's shadow root while the panel is open. It renders the chat's signals and calls its
// actions; it holds no state of its own beyond focus.
import { render, type ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { TabName } from "../../contract/wire.ts";
import type { Chat, ViewMessage } from "../core/chat.ts";
import { idle } from "../core/idle.ts";
import { once } from "../core/lazy.ts";
import { panelCss } from "./panel-styles.ts";
import { stringsFor, type Strings } from "./panel-strings.ts";
import { useSignal } from "./use-signal.ts";

/** The panel's stylesheet, made once. */
let made: CSSStyleSheet | undefined;
export function sheet(): CSSStyleSheet {
  if (!made) {
    made = new CSSStyleSheet();
    made.replaceSync(panelCss);
  }
  return made;
}

/** Each other tab's chunk, fetched when first shown (or idle: mountPanel). */
export const loadIdeasTab = once(() => import("../ideas/ideas-tab.tsx"));
export const loadNewsTab = once(() => import("../news/news-tab.tsx"));

/** Renders the panel into `slot` whenever the chat is open; returns how to take it out. */
export function mountPanel(chat: Chat, lang: string, slot: HTMLElement, onClose: () => void): () => void {
  render(<Open chat={chat} t={stringsFor(lang)} onClose={onClose} />, slot);
  // Each other tab's chunk, when the browser is idle, so showing the tab is instant.
  idle(() => {
    const tabs = chat.tabs.peek();
    if (tabs.includes("news")) void loadNewsTab().catch(() => {});
    if (tabs.includes("ideas")) void loadIdeasTab().catch(() => {});
  });
  return () => render(null, slot);
}

function Open({ chat, t, onClose }: { chat: Chat; t: Strings; onClose: () => void }) {
  return useSignal(chat.isOpen) ? <Panel chat={chat} t={t} onClose={onClose} /> : null;
}

function Panel({ chat, t, onClose }: { chat: Chat; t: Strings; onClose: () => void }) {
  const panel = useRef<HTMLDivElement>(null);
  const verdict = useSignal(chat.verdict);
  const tabs = useSignal(chat.tabs);
  const chosen = useSignal(chat.tab);
  const current = tabs.includes(chosen) ? chosen : tabs[0]!;
  useEffect(() => {
    // On a phone the on-screen keyboard shrinks the visual viewport, not the layout one: size the
    // full-screen panel to what is visible, so the composer stays above the keyboard.
    const vv = window.visualViewport;
    if (!vv) return;
    const fit = () => panel.current?.style.setProperty("--vvh", `${vv.height}px`);
    fit();
    vv.addEventListener("resize", fit);
    return () => vv.removeEventListener("resize", fit);
  }, []);
  // The composer takes focus when the panel opens on the chat, not when a visitor comes back to it
  // from another tab with the keyboard (focus stays on the tab, as WAI-ARIA tabs want).
  const opening = useRef(current === "chat");
  useEffect(() => void (opening.current = false), []);
  const tabbed = tabs.length > 1;
  return (
    <div ref={panel} class="panel" role="dialog" aria-label={t.title} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div class="head">
        <div>
          <h2>{t.title}</h2>
          <p>{verdict?.status === "verified" && verdict.name ? `${t.signedInAs} ${verdict.name}` : t.subtitle}</p>
        </div>
        <button class="x" type="button" aria-label={t.closeChat} onClick={onClose}>
          ×
        </button>
      </div>
      {tabbed && <TabList chat={chat} tabs={tabs} current={current} t={t} />}
      <div class="body" role={tabbed ? "tabpanel" : undefined} id={`parley-panel-${current}`} aria-labelledby={tabbed ? `parley-tab-${current}` : undefined}>
        {current === "news" ? (
          <Lazy load={loadNewsTab} t={t} render={(m) => <m.NewsTab chat={chat} t={t} />} />
        ) : current === "ideas" ? (
          <Lazy load={loadIdeasTab} t={t} render={(m) => <m.IdeasTab chat={chat} t={t} />} />
        ) : (
          <ChatTab chat={chat} t={t} focus={opening.current} />
        )}
      </div>
    </div>
  );
}

/** WAI-ARIA tabs: one tab in the focus order; arrows, Home and End move between them. */
function TabList({ chat, tabs, current, t }: { chat: Chat; tabs: TabName[]; current: TabName; t: Strings }) {
  const list = useRef<HTMLDivElement>(null);
  const replies = useSignal(chat.unread);
  const news = useSignal(chat.newsUnread);
  const counts: Partial<Record<TabName, number>> = { chat: replies, news };
  const go = (i: number) => {
    const next = tabs[(i + tabs.length) % tabs.length]!;
    chat.tab.value = next;
    (list.current?.querySelector(`#parley-tab-${next}`) as HTMLElement | null)?.focus();
  };
  const keys = (e: KeyboardEvent) => {
    const i = tabs.indexOf(current);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    go(to);
  };
  return (
    <div ref={list} class="tabs" role="tablist" aria-label={t.sections} onKeyDown={keys}>
      {tabs.map((name) => {
        const count = counts[name] ?? 0;
        return (
          <button
            key={name}
            id={`parley-tab-${name}`}
            class="tab"
            type="button"
            role="tab"
            aria-selected={name === current}
            aria-controls={`parley-panel-${name}`}
            tabIndex={name === current ? 0 : -1}
            aria-label={t.tabs[name] + (count > 0 ? t.tabUnread.replace("{n}", String(count)) : "")}
            onClick={() => (chat.tab.value = name)}
          >
            {t.tabs[name]}
            {count > 0 && (
              <span class="count" aria-hidden="true">
                {count}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

function ChatTab({ chat, t, focus }: { chat: Chat; t: Strings; focus: boolean }) {
  const input = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const messages = useSignal(chat.messages);
  // The draft lives in the chat: kept across tabs and closing, and pre-filled by open({ message }).
  const draft = useSignal(chat.draft);
  // Before the first paint, not after it: a click on the launcher lands in the composer at once.
  useLayoutEffect(() => {
    if (focus) input.current?.focus();
  }, []);
  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
  }, [messages.length]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (input.current && chat.send(input.current.value)) chat.draft.value = input.current.value = "";
  };
  return (
    <>
      <div ref={list} class="log" role="log" aria-live="polite">
        {messages.length === 0 ? <p class="empty">{t.empty}</p> : messages.map((m) => <Line key={m.key} m={m} chat={chat} t={t} />)}
      </div>
      <form onSubmit={submit}>
        <textarea
          ref={input}
          rows={1}
          aria-label={t.message}
          placeholder={t.placeholder}
          maxLength={4000}
          value={draft}
          onInput={(e) => (chat.draft.value = e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
          }}
        />
        <button type="submit">{t.send}</button>
      </form>
    </>
  );
}

/** A tab's lazy chunk: a quiet placeholder while it loads; a sentence if it cannot (the next showing tries again). */
function Lazy<M>({ load, render, t }: { load: () => Promise<M>; render: (m: M) => ComponentChildren; t: Strings }) {
  const [mod, setMod] = useState<{ m: M } | null | false>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (m) => live && setMod({ m }),
      () => live && setMod(false),
    );
    return () => void (live = false);
  }, [load]);
  if (mod === false) return <p class="empty">{t.couldNotLoad}</p>;
  return mod ? <>{render(mod.m)}</> : <p class="empty" aria-busy="true" />;
}

function Line({ m, chat, t }: { m: ViewMessage; chat: Chat; t: Strings }) {
  return (
    <p class={"msg " + (m.mine ? "mine " : "") + m.state}>
      {!m.mine && <small>{m.name ?? t.support}</small>}
      {m.text}
      {m.state === "pending" && <small>{t.sending}</small>}
      {m.state === "failed" && (
        <small>
          {t.notSent}
          <button class="act" type="button" onClick={() => chat.retry(m.clientId!)}>
            {t.retry}
          </button>
          <button class="act" type="button" onClick={() => chat.discard(m.clientId!)}>
            {t.remove}
          </button>
        </small>
      )}
    </p>
  );
}
