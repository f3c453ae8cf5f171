// `Parley(command, ...args)`: one table from command name to handler, behind one guard.
// Documented property: the dispatcher never throws into the host page, whatever it is given.
import { COMMANDS, EVENTS, MAX_TEXT_LENGTH, TABS, type CommandName, type EventName, type OpenOptions } from "../../contract/wire.ts";
import type { Chat } from "./chat.ts";
import { claimProblem } from "./claim.ts";
import { warn } from "./log.ts";

export type Handler = (...args: unknown[]) => void;
export type Handlers = Record<CommandName, Handler>;
export type Dispatch = (command?: unknown, ...args: unknown[]) => void;

export function createDispatcher(handlers: Handlers): Dispatch {
  return (command, ...args) => {
    try {
      if (typeof command !== "string" || !(COMMANDS as readonly string[]).includes(command)) {
        warn(`unknown command ${describe(command)}; expected one of ${COMMANDS.join(", ")}`);
        return;
      }
      handlers[command as CommandName](...args);
    } catch (err) {
      warn(`"${command as string}" failed:`, err);
    }
  };
}

/** The handlers for a running chat. `init` after start has nothing left to configure. */
export function chatHandlers(chat: Chat): Handlers {
  const listener = (name: string, event: unknown, fn: unknown): [EventName, (p?: unknown) => void] | undefined => {
    if (!(EVENTS as readonly unknown[]).includes(event)) warn(`${name}: unknown event ${describe(event)}; expected one of ${EVENTS.join(", ")}`);
    else if (typeof fn !== "function") warn(`${name}("${String(event)}", fn): fn must be a function`);
    else return [event as EventName, fn as (p?: unknown) => void];
    return undefined;
  };
  return {
    init: () => warn("init: Parley is already initialised; use identify or logout to change the user"),
    identify(identity, options) {
      const problem = claimProblem(identity);
      const refresh = (options as { refreshIdentity?: unknown } | undefined)?.refreshIdentity;
      if (problem) warn(`identify: ${problem}; the identity was not changed`);
      else chat.identify(identity as never, typeof refresh === "function" ? (refresh as () => unknown) : undefined);
    },
    logout: () => chat.logout(),
    open: (options) => chat.open(openOptions(options)),
    close: () => chat.close(),
    toggle: () => chat.toggle(),
    on(event, fn) {
      const ok = listener("on", event, fn);
      if (ok) chat.events.on(...ok);
    },
    off(event, fn) {
      const ok = listener("off", event, fn);
      if (ok) chat.events.off(...ok);
    },
  };
}

/** `open`'s options, checked field by field: a bad one is warned about and left out; the panel still opens. */
function openOptions(value: unknown): OpenOptions {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    warn("open(options): expected { message?, tab? }");
    return {};
  }
  let message: unknown, tab: unknown;
  try {
    ({ message, tab } = value as Record<string, unknown>);
  } catch {
    warn("open(options): expected { message?, tab? }");
    return {};
  }
  const out: OpenOptions = {};
  if (message !== undefined) {
    if (typeof message === "string" && message.length <= MAX_TEXT_LENGTH) out.message = message;
    else warn(`open: message must be text of at most ${MAX_TEXT_LENGTH} characters`);
  }
  if (tab !== undefined) {
    if ((TABS as readonly unknown[]).includes(tab)) out.tab = tab as OpenOptions["tab"];
    else warn(`open: tab must be one of ${TABS.join(", ")}`);
  }
  return out;
}

function describe(value: unknown): string {
  try {
    return typeof value === "string" ? `"${value}"` : typeof value;
  } catch {
    return "value";
  }
}
