// Processes on one PostgreSQL tell each other when a conversation changes: LISTEN/NOTIFY on a
// connection of its own (pg-listen, which reconnects and listens again). A notification sent while
// that connection was down is lost for good, so every reconnection wakes every waiter here to read
// storage again — nothing waits on a slow re-read timer.
import { randomBytes } from "node:crypto";
import createSubscriber from "pg-listen";
import type { Logger } from "../log.ts";
import type { Notifier } from "../http/notifier.ts";

/**
 * The one PostgreSQL channel. A payload is `<sender> <what changed>`: the sending process's tag,
 * so it does not wake its own waiters twice, and the conversation (or new-conversation key), or
 * EVERYTHING.
 */
const CHANNEL = "parley_changes";
const EVERYTHING = "*";

/** A relay's own connection, on which `notify` also sends (so it never waits for the pool). */
export interface Relay {
  close(): Promise<void>;
}

export async function relayOverPostgres(notifier: Notifier, url: string, log: Logger): Promise<Relay> {
  const subscriber = createSubscriber(
    { connectionString: url, application_name: "parley notifications" },
    {
      // Payloads are plain strings: no JSON round trip.
      parse: (payload: string) => payload,
      serialize: (payload: unknown) => String(payload),
      // Keep trying for as long as the process lives, backing off to once every 5 s.
      retryLimit: Infinity,
      retryTimeout: 0,
      retryInterval: (attempt: number) => Math.min(5_000, 100 * 2 ** attempt),
      paranoidChecking: 10_000,
    },
  );
  const tag = randomBytes(6).toString("base64url");
  const send = (what: string) => subscriber.notify(CHANNEL, `${tag} ${what}`).catch((err: Error) => log("warn", "notification not sent", { error: err.message }));
  let connectedOnce = false;
  subscriber.events.on("connected", () => {
    if (connectedOnce) {
      // What was sent meanwhile, to us or by us, is lost: here and in every other process, all
      // read storage again.
      log("info", "notifications reconnected: every waiter reads storage again");
      notifier.wakeAll();
      void send(EVERYTHING);
    }
    connectedOnce = true;
  });
  subscriber.events.on("reconnect", (attempt: number) => attempt === 1 && log("warn", "notifications connection lost: reconnecting"));
  // An error event without a listener would throw and end the process.
  subscriber.events.on("error", (err: Error) => log("warn", "notifications connection error", { error: err.message }));
  subscriber.notifications.on(CHANNEL, (payload: unknown) => {
    if (typeof payload !== "string") return;
    const space = payload.indexOf(" ");
    const [sender, what] = [payload.slice(0, space), payload.slice(space + 1)];
    if (space < 1 || !what || sender === tag) return;
    if (what === EVERYTHING) notifier.wakeAll();
    else notifier.deliver(what);
  });
  await subscriber.connect();
  await subscriber.listenTo(CHANNEL);
  notifier.relay = (conversationId) => void send(conversationId);
  return {
    close: async () => {
      notifier.relay = undefined;
      await subscriber.close().catch(() => {});
    },
  };
}
