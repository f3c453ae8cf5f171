// The panel, a lazy chunk: the conversation and a composer, rendered with Preact into the
// launcher's shadow root while the panel is open. It renders the chat's signals and calls its
// actions; it holds no state of its own beyond focus.
import { render } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Chat, ViewMessage } from "../core/chat.ts";
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

/** Renders the panel into `slot` whenever the chat is open; returns how to take it out. */
export function mountPanel(chat: Chat, lang: string, slot: HTMLElement, onClose: () => void): () => void {
  render(<Open chat={chat} t={stringsFor(lang)} onClose={onClose} />, slot);
  return () => render(null, slot);
}

function Open({ chat, t, onClose }: { chat: Chat; t: Strings; onClose: () => void }) {
  return useSignal(chat.isOpen) ? <Panel chat={chat} t={t} onClose={onClose} /> : null;
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
