// The public events. A host's handler that throws is reported, never allowed to break the widget.
import type { EventName } from "../../contract/wire.ts";
import { warn } from "./log.ts";

type Handler = (payload?: unknown) => void;

export class Emitter {
  private _handlers = new Map<EventName, Set<Handler>>();
  /** The last payload of events that describe a state (ready, identity), replayed to late listeners. */
  private _sticky = new Map<EventName, unknown>();

  on(event: EventName, fn: Handler) {
    let set = this._handlers.get(event);
    if (!set) this._handlers.set(event, (set = new Set()));
    set.add(fn);
    if (this._sticky.has(event)) call(event, fn, this._sticky.get(event));
  }

  off(event: EventName, fn: Handler) {
    this._handlers.get(event)?.delete(fn);
  }

  emit(event: EventName, payload?: unknown, sticky = false) {
    if (sticky) this._sticky.set(event, payload);
    for (const fn of [...(this._handlers.get(event) ?? [])]) call(event, fn, payload);
  }

  clear() {
    this._handlers.clear();
    this._sticky.clear();
  }
}

function call(event: EventName, fn: Handler, payload: unknown) {
  try {
    fn(payload);
  } catch (err) {
    warn(`a "${event}" handler threw:`, err);
  }
}
