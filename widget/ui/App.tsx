// The visible widget: a launcher, and when open a panel with the conversation and a composer.
// It renders the chat's signals and calls its actions; it holds no state of its own beyond focus.
import { useEffect, useRef } from "preact/hooks";
import type { Chat, ViewMessage } from "../core/chat.ts";
import { en as t } from "./strings.ts";
import { useSignal } from "./use-signal.ts";

export function App({ chat }: { chat: Chat }) {
  const launcher = useRef<HTMLButtonElement>(null);
  const open = useSignal(chat.isOpen);
  return (
    <div class="root">
      {open && (
        <Panel
          chat={chat}
          onClose={() => {
            chat.close();
            launcher.current?.focus();
          }}
        />
      )}
      <button ref={launcher} class="launcher" type="button" aria-label={open ? t.closeChat : t.openChat} aria-expanded={open} onClick={() => chat.toggle()}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          {open ? <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" /> : <path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z" />}
        </svg>
      </button>
    </div>
  );
}

function Panel({ chat, onClose }: { chat: Chat; onClose: () => void }) {
  const input = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const messages = useSignal(chat.messages);
  const verdict = useSignal(chat.verdict);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
  }, [messages.length]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (input.current && chat.send(input.current.value)) input.current.value = "";
  };
  return (
    <div class="panel" role="dialog" aria-label={t.title} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <header>
        <div>
          <h2>{t.title}</h2>
          <p>{verdict?.status === "verified" && verdict.name ? `${t.signedInAs} ${verdict.name}` : t.subtitle}</p>
        </div>
        <button class="x" type="button" aria-label={t.closeChat} onClick={onClose}>
          ×
        </button>
      </header>
      <div ref={list} class="log" role="log" aria-live="polite">
        {messages.length === 0 ? <p class="empty">{t.empty}</p> : messages.map((m) => <Line key={m.key} m={m} chat={chat} />)}
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

function Line({ m, chat }: { m: ViewMessage; chat: Chat }) {
  return (
    <p class={"msg " + (m.mine ? "mine " : "") + m.state}>
      {!m.mine && <small>{m.name ?? t.support}</small>}
      {m.text}
      {m.state === "pending" && <small>{t.sending}</small>}
      {m.state === "failed" && (
        <small>
          {t.notSent}
          <button class="act" type="button" onClick={() => chat.outbox.retry(m.clientId!)}>
            {t.retry}
          </button>
          <button class="act" type="button" onClick={() => chat.outbox.remove(m.clientId!)}>
            {t.remove}
          </button>
        </small>
      )}
    </p>
  );
}
