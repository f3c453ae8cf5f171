// One conversation: its messages (each with the verdict it arrived with), the contact, a reply
// box, close and reopen. New messages are appended below what is shown — nothing shown is drawn
// again — and the view follows them only when the operator is already at the bottom.
import { memo } from "preact/compat";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ConsoleState } from "../state/console.ts";
import type { Inbox, Thread } from "../state/inbox.ts";
import type { Message } from "../../contract/wire.ts";
import { RouteLink } from "./app.tsx";
import { ContactPanel } from "./contact.tsx";
import { contactName, ContactBadge, fullTime, shortTime, VerdictBadge } from "./labels.tsx";
import { useSignal } from "./use-signal.ts";

/** How close to the bottom counts as reading the newest (pixels). */
const AT_BOTTOM = 48;

export function ConversationView({ app, inbox, thread }: { app: ConsoleState; inbox: Inbox; thread: Thread }) {
  useSignal(inbox.conversations);
  const conversation = inbox.summary(thread.id);
  const [contactShown, setContactShown] = useState(false);
  const [statusProblem, setStatusProblem] = useState<string | undefined>(undefined);
  const follow = useRef<() => void>(() => {});
  const closed = conversation?.status === "closed";
  const name = conversation ? contactName(conversation.contact) : "Conversation";

  return (
    <div class={`conversation ${contactShown ? "contact-shown" : ""}`}>
      <header class="conversation-head">
        <RouteLink app={app} to={{ screen: "inbox", appId: inbox.appId }} class="back">
          <span aria-hidden="true">← </span>Conversations
        </RouteLink>
        <h2>
          {name} {conversation && <ContactBadge contact={conversation.contact} />}
        </h2>
        <div class="actions">
          <button type="button" class="quiet contact-toggle" aria-expanded={contactShown} aria-controls="contact-panel" onClick={() => setContactShown(!contactShown)}>
            Contact
          </button>
          {conversation && (
            <button
              type="button"
              onClick={async () => {
                setStatusProblem(undefined);
                try {
                  await inbox.setStatus(thread.id, closed ? "open" : "closed");
                } catch (err) {
                  setStatusProblem((err as Error).message);
                }
              }}
            >
              {closed ? "Reopen" : "Close"}
            </button>
          )}
        </div>
      </header>
      <div class="notices">
        {closed && <p class="banner">Closed. A new message from this visitor reopens it.</p>}
        {statusProblem && (
          <p class="banner error" role="alert">
            {statusProblem}
          </p>
        )}
      </div>
      <Messages thread={thread} follow={follow} />
      <Composer inbox={inbox} onSent={() => follow.current()} />
      <ContactPanel inbox={inbox} conversation={conversation} />
    </div>
  );
}

function Messages({ thread, follow }: { thread: Thread; follow: { current: () => void } }) {
  const messages = useSignal(thread.messages);
  const loaded = useSignal(thread.loaded);
  const problem = useSignal(thread.problem);
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** How many messages the operator had seen (at the bottom) when they scrolled up. */
  const seen = useRef(0);
  const [unseen, setUnseen] = useState(0);

  const toBottom = () => {
    const el = box.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    seen.current = thread.messages.peek().length;
    setUnseen(0);
  };
  follow.current = toBottom;

  // After new messages are drawn: follow them only if the operator was at the bottom before.
  useLayoutEffect(() => {
    if (atBottom.current) toBottom();
    else setUnseen(messages.length - seen.current);
  }, [messages]);

  return (
    <div class="messages-wrap">
      {problem && (
        <p class="banner warn" role="status">
          {problem}
        </p>
      )}
      <div
        ref={box}
        class="messages"
        role="log"
        aria-label="Messages"
        tabIndex={0}
        onScroll={() => {
          const el = box.current!;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM;
          if (atBottom.current) {
            seen.current = thread.messages.peek().length;
            if (unseen) setUnseen(0);
          }
        }}
      >
        {!loaded && messages.length === 0 ? <p class="empty">Loading messages…</p> : messages.map((m) => <MessageItem key={m.id} message={m} />)}
      </div>
      {unseen > 0 && (
        <button type="button" class="jump" onClick={toBottom}>
          {unseen === 1 ? "1 new message" : `${unseen} new messages`} <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  );
}

const MessageItem = memo(function MessageItem({ message: m }: { message: Message }) {
  if (m.author.type === "note") {
    return (
      <p class="note" data-message-id={m.id}>
        {m.text} <time dateTime={m.createdAt}>{shortTime(m.createdAt)}</time>
      </p>
    );
  }
  const operator = m.author.type === "operator";
  const who = operator ? (m.author.name ?? "Support") : m.author.userId ? (m.author.name ? `${m.author.name} (${m.author.userId})` : m.author.userId) : "Visitor";
  return (
    <article class={`message ${operator ? "from-operator" : "from-visitor"}`} data-message-id={m.id} aria-label={`${who}, ${fullTime(m.createdAt)}`}>
      <div class="meta">
        <span class="who">{who}</span>
        {!operator && <VerdictBadge identity={m.identity} />}
        <time dateTime={m.createdAt} title={fullTime(m.createdAt)}>
          {shortTime(m.createdAt)}
        </time>
      </div>
      {m.author.claimedUserId && (
        <p class="claimed">
          Claimed to be <code>{m.author.claimedUserId}</code> — unproven
        </p>
      )}
      <p class="text">{m.text}</p>
    </article>
  );
});

function Composer({ inbox, onSent }: { inbox: Inbox; onSent: () => void }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  async function send() {
    const el = field.current!;
    const text = el.value;
    if (!text.trim() || sending) return;
    setSending(true);
    setProblem(undefined);
    try {
      await inbox.reply(text);
      // Only what was sent is cleared: what was typed meanwhile stays.
      if (el.value === text) el.value = "";
      onSent();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label for="reply" class="sr-only">
        Reply
      </label>
      <textarea
        id="reply"
        ref={field}
        rows={2}
        maxLength={4000}
        placeholder="Reply… (Enter sends, Shift+Enter adds a line)"
        aria-describedby={problem ? "reply-problem" : undefined}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <button type="submit" class="primary" aria-disabled={sending ? "true" : undefined}>
        Send
      </button>
      {problem && (
        <p id="reply-problem" class="error" role="alert">
          {problem} Your reply is kept: press Enter to try again.
        </p>
      )}
    </form>
  );
}
