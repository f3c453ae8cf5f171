// The public events. A host's handler that throws is reported, never allowed to break the widget.
import type { EventName } from "../wire.ts";
import { warn } from "./log.ts";

export const EVENTS: readonly EventName[] = ["ready", "identity", "message", "open", "close"];
type Handler = (payload?: unknown) => void;

export class Emitter {
  private handlers = new Map<EventName, Set<Handler>>();
  /** The last payload of events that describe a state (ready, identity), replayed to late listeners. */
  private sticky = new Map<EventName, unknown>();

  on(event: EventName, fn: Handler) {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    if (this.sticky.has(event)) call(event, fn, this.sticky.get(event));
  }

  off(event: EventName, fn: Handler) {
    this.handlers.get(event)?.delete(fn);
  }

  emit(event: EventName, payload?: unknown, sticky = false) {
    if (sticky) this.sticky.set(event, payload);
    for (const fn of [...(this.handlers.get(event) ?? [])]) call(event, fn, payload);
  }

  clear() {
    this.handlers.clear();
    this.sticky.clear();
  }
}

function call(event: EventName, fn: Handler, payload: unknown) {
  try {
    fn(payload);
  } catch (err) {
    warn(`a "${event}" handler threw:`, err);
  }
}
