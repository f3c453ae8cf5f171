// The conversation as the visitor sees it: what the server has (history), and what is still on
// its way (the outbox) — their own words stay in view whatever happens to the claim.
import { signal } from "@preact/signals-core";
import type { Message } from "../../contract/wire.ts";
import type { OutboxItem } from "./outbox.ts";

/** One line of the conversation as the visitor sees it. */
export interface ViewMessage {
  key: string;
  text: string;
  mine: boolean;
  name?: string;
  state: "sent" | "pending" | "failed";
  clientId?: string;
}

export class Timeline {
  readonly history = signal<Message[]>([]);

  /** Adds what is not known yet, in the order given; returns those. */
  add(messages: Message[]): Message[] {
    const known = new Set(this.history.peek().map((m) => m.id));
    const fresh = messages.filter((m) => !known.has(m.id));
    if (fresh.length) this.history.value = [...this.history.peek(), ...fresh];
    return fresh;
  }

  clear() {
    this.history.value = [];
  }

  /** The cursor for "what came after": the last message read. */
  lastId(): string | undefined {
    const list = this.history.peek();
    return list[list.length - 1]?.id;
  }
}

/** The lines to show: history, then what this visitor still has on its way. */
export function viewOf(history: Message[], outbox: OutboxItem[], visitorId: string): ViewMessage[] {
  const sent = new Set(history.map((m) => m.clientId));
  const view: ViewMessage[] = history.map((m) => ({
    key: m.id,
    text: m.text,
    mine: m.author.type === "visitor",
    name: m.author.type === "operator" ? m.author.name : undefined,
    state: "sent",
  }));
  // The visitor id alone decides: it changes whenever the person does, and stays when a rejected
  // claim is dropped (same person, now anonymous).
  for (const item of outbox) {
    if (!sent.has(item.clientId) && item.visitorId === visitorId) view.push({ key: item.clientId, text: item.text, mine: true, state: item.state, clientId: item.clientId });
  }
  return view;
}
