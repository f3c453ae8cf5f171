// Takes over from the loader: reads its handoff, replays the queue, and starts the chat.
import type { LoaderConfig, ParleyQueue } from "../../contract/wire.ts";
import { Chat } from "./chat.ts";
import { chatHandlers, createDispatcher } from "./commands.ts";
import { warn } from "./log.ts";
import { resolveOptions, type Appearance } from "./options.ts";
import { safeStorage } from "./storage.ts";

type Host = Window & { Parley?: ParleyQueue & { booted?: boolean }; ParleySettings?: unknown };
export type Mount = (chat: Chat, appearance: Appearance) => () => void;

/** Boots once per page; a second copy of the widget finds the first and does nothing. Never throws. */
export function boot(win: Host, mount: Mount): () => void {
  try {
    const queue = win.Parley;
    if (queue?.booted) return () => {};
    const loader: LoaderConfig | undefined = queue?.c;
    // splice, not copy: whatever is replayed here is gone from the queue and never replayed twice.
    const calls = (queue?.q ? Array.prototype.splice.call(queue.q, 0, queue.q.length) : []).map((args: ArrayLike<unknown>) => Array.from(args));

    // Flush order: the loader's attributes, then ParleySettings, then every queued init (wherever it
    // was queued, since it configures what the rest act on), then the other calls in their order.
    const options = resolveOptions(loader, [
      { from: "ParleySettings", value: win.ParleySettings },
      ...calls.filter((c) => c[0] === "init").map((c) => ({ from: "init", value: c[1] })),
    ]);
    if (!options.appId) {
      warn('no app id: add data-app-id="app_…" to the loader\'s <script>, or set ParleySettings.appId');
      // Keep queueing, so an SPA that learns its app id later can still call init: the first init
      // after it boots (once, and not once this page stopped it); a later one is a call like any other.
      let stopped = false;
      let stopLater: (() => void) | undefined;
      const waiting = Object.assign((...args: unknown[]) => {
        waiting.q.push(args);
        if (args[0] === "init" && !stopped && !stopLater) stopLater = boot(win, mount);
      }, { q: calls as ArrayLike<unknown>[], c: loader });
      win.Parley = waiting;
      forward(queue?.q, waiting);
      return () => {
        stopped = true;
        stopLater?.();
      };
    }

    const chat = new Chat({
      appId: options.appId,
      apiBase: options.apiBase,
      debug: options.debug,
      claim: options.claim,
      refreshIdentity: options.refreshIdentity,
      tabs: options.tabs,
      storage: safeStorage(() => win.localStorage),
    });
    const dispatch = createDispatcher(chatHandlers(chat));
    const parley = (...args: unknown[]) => dispatch(...args);
    win.Parley = Object.assign(parley, { booted: true, q: forward(queue?.q, parley) });
    for (const call of calls) if (call[0] !== "init") dispatch(...call);
    if (options.open) chat.open();

    const unmount = mount(chat, options.appearance);
    const stop = chat.start();
    return () => {
      stop();
      unmount();
    };
  } catch (err) {
    warn("could not start:", err);
    return () => {};
  }
}

/**
 * A host may have kept a reference to the stub (`const P = window.Parley`) and call it after boot:
 * the stub pushes onto its queue, which nobody reads any more. From now on, a push is a call.
 * The queue stays on the new `Parley` too, for the documented stub's `Parley.q.push(arguments)`.
 */
function forward(q: ArrayLike<unknown>[] | undefined, to: (...args: unknown[]) => void): ArrayLike<unknown>[] {
  const queue = Array.isArray(q) ? q : [];
  queue.push = (...calls: ArrayLike<unknown>[]) => {
    for (const args of calls) to(...Array.from(args));
    return queue.length;
  };
  return queue;
}
