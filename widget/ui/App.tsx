// The visible widget: a launcher, and when open a panel with the conversation and a composer.
// It renders the chat's signals and calls its actions; it holds no state of its own beyond focus.
import { useEffect, useRef } from "preact/hooks";
import type { Chat, ViewMessage } from "../core/chat.ts";
import type { Appearance } from "../core/options.ts";
import type { Strings } from "./strings.ts";
import { useSignal } from "./use-signal.ts";

interface Props {
  chat: Chat;
  look: Appearance;
  t: Strings;
}

export function App({ chat, look, t }: Props) {
  const launcher = useRef<HTMLButtonElement>(null);
  const open = useSignal(chat.isOpen);
  const unread = useSignal(chat.unread);
  const label = open ? t.closeChat : unread ? t.openChatUnread.replace("{n}", String(unread)) : (look.launcherLabel ?? t.openChat);
  return (
    <div class={`root ${look.theme} ${look.position}`}>
      {open && (
        <Panel
          chat={chat}
          t={t}
          onClose={() => {
            chat.close();
            launcher.current?.focus();
          }}
        />
      )}
      <button ref={launcher} class="launcher" type="button" aria-label={label} aria-expanded={open} onClick={() => chat.toggle()}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          {open ? <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" /> : <path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z" />}
        </svg>
        {!open && look.launcherLabel && <span aria-hidden="true">{look.launcherLabel}</span>}
        {!open && unread > 0 && (
          <span class="count" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
    </div>
  );
}

function Panel({ chat, t, onClose }: { chat: Chat; t: Strings; onClose: () => void }) {
  const input = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const messages = useSignal(chat.messages);
  const verdict = useSignal(chat.verdict);
  useEffect(() => {
    input.current?.focus();
    // On a phone the on-screen keyboard shrinks the visual viewport, not the layout one: size the
    // full-screen panel to what is visible, so the composer stays above the keyboard.
    const vv = window.visualViewport;
    if (!vv) return;
    const fit = () => panel.current?.style.setProperty("--vvh", `${vv.height}px`);
    fit();
    vv.addEventListener("resize", fit);
    return () => vv.removeEventListener("resize", fit);
  }, []);
  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
  }, [messages.length]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (input.current && chat.send(input.current.value)) input.current.value = "";
  };
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
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
          }}
        />
        <button type="submit">{t.send}</button>
      </form>
    </div>
  );
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
