// The panel: open or closed, and the replies that arrived while it was closed.
import { signal } from "@preact/signals-core";
import type { Message, TabName } from "../../contract/wire.ts";
import type { Emitter } from "./emitter.ts";

export class Panel {
  readonly isOpen = signal(false);
  /** Operator replies that arrived while the panel was closed. */
  readonly unread = signal(0);
  /** The tab shown when the panel is open. */
  readonly tab = signal<TabName>("chat");

  constructor(private readonly _events: Emitter) {}

  /** False when it already was open. */
  open(): boolean {
    if (this.isOpen.peek()) return false;
    this.isOpen.value = true;
    this.unread.value = 0;
    this._events.emit("open");
    return true;
  }

  close() {
    if (!this.isOpen.peek()) return;
    this.isOpen.value = false;
    this._events.emit("close");
  }

  /** New messages: the replies among them count as unread while the panel is closed. */
  arrived(messages: Message[]) {
    if (!this.isOpen.peek()) this.unread.value += messages.filter((m) => m.author.type === "operator").length;
  }
}
