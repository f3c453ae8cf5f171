// The push stream (server: server/http/stream-route.ts), read with fetch so the claim travels in
// the body as on every other request — EventSource cannot send one. A lazy chunk: a visitor who
// never has a conversation never downloads it.
import { createParser } from "eventsource-parser";
import type { ApiError, ConversationRequest, IdentityVerdict, Message, StreamEvents } from "../../contract/wire.ts";

export { lead, Listener } from "./listener.ts";

export interface StreamHandlers {
  identity(verdict: IdentityVerdict): void;
  messages(messages: Message[]): void;
}

export interface StreamEnd {
  /** Ended on purpose (the server's `end`): come back after `retryAfter`. */
  ok: boolean;
  /** The server's verdict arrived: the stream worked, whatever ended it. */
  opened: boolean;
  retryAfter?: number;
  /** An answer that was not a stream: its status and error. */
  status?: number;
  error?: ApiError["error"];
  /** This server has no stream (an older one, or something in the way rewrote the answer). */
  unsupported?: boolean;
}

/** Silence longer than this (the server speaks every 15 s) means a connection that died without a word — a laptop that slept. */
export const SILENCE_MS = 45_000;

export async function listen(url: string, body: Omit<ConversationRequest, "wait">, signal: AbortSignal, on: StreamHandlers): Promise<StreamEnd> {
  const silent = new AbortController();
  const stop = () => silent.abort();
  signal.addEventListener("abort", stop);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(stop, SILENCE_MS);
  };
  let opened = false;
  let ended: number | undefined;
  try {
    alive();
    const res = await fetch(url, { method: "POST", body: JSON.stringify(body), signal: silent.signal, credentials: "omit" });
    if (!res.ok) {
      const json = (await res.json().catch(() => undefined)) as Partial<ApiError> | undefined;
      const retryAfter = Number(res.headers.get("retry-after")) || undefined;
      // No such endpoint (not "no such app"): a server without streams.
      const unsupported = (res.status === 404 && json?.error?.code !== "app_not_found") || res.status === 405;
      return { ok: false, opened, status: res.status, error: json?.error, retryAfter, unsupported };
    }
    if (!res.body || !/^text\/event-stream/.test(res.headers.get("content-type") ?? "")) return { ok: false, opened, unsupported: true };
    const parser = createParser({
      onEvent(e) {
        const data = JSON.parse(e.data) as StreamEvents[keyof StreamEvents];
        if (e.event === "identity") {
          opened = true;
          on.identity(data as StreamEvents["identity"]);
        } else if (e.event === "messages") on.messages((data as StreamEvents["messages"]).messages);
        else if (e.event === "end") ended = (data as StreamEvents["end"]).retryAfter;
      },
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      alive();
      parser.feed(value);
    }
  } catch {
    // Offline, cut, or aborted: the caller decides what comes next.
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", stop);
  }
  return { ok: ended !== undefined, opened, retryAfter: ended };
}
