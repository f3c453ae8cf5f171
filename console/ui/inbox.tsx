// The inbox: the conversations (open or closed, newest activity first, unread marked) beside the
// open one. On a phone, one at a time: the list, or the conversation with a way back.
import { memo } from "preact/compat";
import { useLayoutEffect, useRef } from "preact/hooks";
import type { ConsoleState } from "../state/console.ts";
import type { Inbox } from "../state/inbox.ts";
import { CONVERSATION_STATUSES, type InboxConversation } from "../../contract/operator.ts";
import { RouteLink } from "./app.tsx";
import { ConversationView } from "./conversation.tsx";
import { contactName, ContactBadge, shortTime } from "./labels.tsx";
import { useSignal } from "./use-signal.ts";

export function InboxScreen({ app }: { app: ConsoleState }) {
  const inbox = useSignal(app.inbox);
  if (!inbox) return null;
  return <InboxOf key={inbox.appId} app={app} inbox={inbox} />;
}

function InboxOf({ app, inbox }: { app: ConsoleState; inbox: Inbox }) {
  const thread = useSignal(inbox.thread);
  return (
    <div class={`inbox ${thread ? "has-conversation" : ""}`}>
      <ConversationList app={app} inbox={inbox} />
      <section class="conversation-pane" aria-label="Conversation">
        {thread ? (
          <ConversationView key={thread.id} app={app} inbox={inbox} thread={thread} />
        ) : (
          <p class="empty">Pick a conversation to read it and reply.</p>
        )}
      </section>
    </div>
  );
}

function ConversationList({ app, inbox }: { app: ConsoleState; inbox: Inbox }) {
  const all = useSignal(inbox.conversations);
  const loaded = useSignal(inbox.loaded);
  const filter = useSignal(inbox.filter);
  const selected = useSignal(inbox.selected);
  const problem = useSignal(inbox.problem);
  const list = useRef<HTMLUListElement>(null);
  const focused = useRef<string | undefined>(undefined);
  const shown = all.filter((c) => c.status === filter);
  const count = (status: string) => all.filter((c) => c.status === status).length;
  const unread = all.filter((c) => c.status === "open" && c.unread && c.id !== selected).length;

  // A conversation moving to the top (new activity) must not take the keyboard's place away.
  useLayoutEffect(() => {
    if (focused.current && (document.activeElement === document.body || document.activeElement === null)) {
      list.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(focused.current)}"]`)?.focus({ preventScroll: true });
    }
  });

  return (
    <section class="conversation-list" aria-labelledby="inbox-title">
      <div class="list-head">
        <h1 id="inbox-title" tabIndex={-1}>
          Inbox{unread > 0 && <span class="count" aria-label={`${unread} unread`}>{unread}</span>}
        </h1>
        <div class="filter" role="group" aria-label="Show">
          {CONVERSATION_STATUSES.map((status) => (
            <button key={status} type="button" aria-pressed={filter === status} onClick={() => (inbox.filter.value = status)}>
              {status === "open" ? "Open" : "Closed"} ({count(status)})
            </button>
          ))}
        </div>
      </div>
      {problem && (
        <p class="banner warn" role="status">
          {problem}
        </p>
      )}
      {!loaded ? (
        <p class="empty" role="status">
          Loading conversations…
        </p>
      ) : shown.length === 0 ? (
        <p class="empty">{filter === "open" ? (all.length ? "No open conversations: all caught up." : "No conversations yet. They appear here as soon as a visitor writes in the widget.") : "No closed conversations."}</p>
      ) : (
        <ul
          ref={list}
          class="conversations"
          onFocusIn={(e) => (focused.current = (e.target as HTMLElement).dataset.id)}
          onFocusOut={(e) => {
            if (!e.relatedTarget) return;
            if (!list.current?.contains(e.relatedTarget as Node)) focused.current = undefined;
          }}
        >
          {shown.map((c) => (
            <ConversationItem key={c.id} app={app} conversation={c} selected={c.id === selected} />
          ))}
        </ul>
      )}
    </section>
  );
}

const ConversationItem = memo(function ConversationItem({ app, conversation: c, selected }: { app: ConsoleState; conversation: InboxConversation; selected: boolean }) {
  const unread = c.unread && !selected;
  return (
    <li>
      <RouteLink app={app} to={{ screen: "inbox", appId: app.router.route.peek().appId, conversationId: c.id }} current={selected} class={`conversation-item${unread ? " unread" : ""}`} dataId={c.id}>
        <span class="line">
          <span class="who">{contactName(c.contact)}</span>
          <ContactBadge contact={c.contact} />
          {unread && <span class="dot" aria-label="unread" role="img" />}
          <time dateTime={c.lastMessageAt}>{shortTime(c.lastMessageAt)}</time>
        </span>
        {c.preview && (
          <span class="preview">
            {c.preview.from === "operator" ? "You: " : ""}
            {c.preview.text}
          </span>
        )}
      </RouteLink>
    </li>
  );
});
