// A server-sent event stream the handler writes into: on node:http straight onto the response,
// else (a test's in-process fetch) one ReadableStream. Hono's streamSSE pipes a TransformStream
// through a second ReadableStream and drops write errors silently; an idle stream here is a few
// closures (the benchmark's idle streams: BENCHMARKS.md), and a client that leaves — or reads too
// slowly to keep up — is known at once through `gone`.
import type { ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";

export interface EventWriter {
  /** One event; `data` is already JSON. Dropped once the client is gone. */
  send(event: string, data: string, fields?: { id?: string; retry?: number }): void;
  /** A comment line: keeps proxies from cutting a quiet stream. */
  comment(text: string): void;
}

/** What a client may leave unread before it is let go: a reader that stopped reading holds nothing for long. */
const MAX_UNREAD_CHUNKS = 256;
const MAX_UNREAD_BYTES = 256 * 1024;

/**
 * Answers `c` with an event stream and runs `write` on it; the stream closes when `write`
 * settles. `gone` aborts when the client leaves (or falls too far behind).
 */
export function eventStream(c: Context, write: (out: EventWriter, gone: AbortSignal) => Promise<void>): Response {
  const headers = { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" };
  const gone = new AbortController();
  const leave = () => gone.abort();
  // Served by node:http (not a test's in-process fetch): straight onto the socket's response —
  // no web stream, no Response object held for each of thousands of idle streams.
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  let put: (text: string) => void;
  let close: () => void;
  let body: ReadableStream<Uint8Array> | undefined;
  if (outgoing) {
    // The headers the middleware set (CORS) with ours, read off a response never sent.
    outgoing.writeHead(200, Object.fromEntries(c.body(null, 200, headers).headers));
    outgoing.flushHeaders();
    outgoing.once("close", leave);
    put = (text) => {
      if (gone.signal.aborted) return;
      if (outgoing.writableLength > MAX_UNREAD_BYTES) return leave();
      outgoing.write(text);
    };
    close = () => {
      outgoing.off("close", leave);
      outgoing.end();
    };
  } else {
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    body = new ReadableStream<Uint8Array>({ start: (ctl) => void (controller = ctl), cancel: leave });
    c.req.raw.signal.addEventListener("abort", leave, { once: true });
    put = (text) => {
      if (gone.signal.aborted) return;
      if ((controller.desiredSize ?? 0) < -MAX_UNREAD_CHUNKS) return leave();
      try {
        controller.enqueue(encoder.encode(text));
      } catch {
        leave();
      }
    };
    close = () => {
      c.req.raw.signal.removeEventListener("abort", leave);
      try {
        controller.close();
      } catch {
        /* already cancelled by the client */
      }
    };
  }
  const out: EventWriter = {
    send: (event, data, fields = {}) => put(`event: ${event}\ndata: ${data}\n${fields.id ? `id: ${fields.id}\n` : ""}${fields.retry !== undefined ? `retry: ${fields.retry}\n` : ""}\n`),
    comment: (text) => put(`: ${text}\n\n`),
  };
  void write(out, gone.signal)
    .catch(() => {})
    .finally(close);
  return outgoing ? RESPONSE_ALREADY_SENT : c.body(body!, 200, headers);
}

// What the two event streams (the visitor's, stream-route.ts; the console's, admin-events.ts) share.

/** Under the 30 s after which common proxies cut a silent connection. */
export const HEARTBEAT_MS = 15_000;
/** The longest a stream stays open: its claim is verified again when it re-opens. */
export const MAX_STREAM_MS = 10 * 60_000;

/** How many streams this process holds open now (for the benchmark and health). */
export const openStreams = { count: 0 };

/**
 * A signal that aborts when the client is `gone`, the server is `stopping`, or after `ms`; and how
 * to let go of what it listens to. (AbortSignal.any with AbortSignal.timeout costs several times
 * the memory, for each of thousands of idle streams.)
 */
export function endedBy(gone: AbortSignal, ms: number, stopping?: AbortSignal) {
  const ended = new AbortController();
  const end = () => ended.abort();
  const timer = setTimeout(end, ms);
  gone.addEventListener("abort", end, { once: true });
  stopping?.addEventListener("abort", end, { once: true });
  if (gone.aborted || stopping?.aborted) end();
  return {
    ended: ended.signal,
    release() {
      clearTimeout(timer);
      gone.removeEventListener("abort", end);
      stopping?.removeEventListener("abort", end);
    },
  };
}

/**
 * What a stream waits on between reads: rung by a notification (and remembered until the next
 * wait, so none is lost in between), quiet for `ms`, or ended.
 */
export class Bell {
  private _rung = false;
  private _wake: ((rung: boolean) => void) | undefined;

  constructor(private readonly _ended: AbortSignal) {
    _ended.addEventListener("abort", () => this._wake?.(false), { once: true });
  }

  readonly ring = () => {
    this._rung = true;
    this._wake?.(true);
  };

  /** True when rung (since the last wait, or during this one); false after `ms` of quiet, or once ended. */
  wait(ms: number): Promise<boolean> {
    if (this._rung || this._ended.aborted) {
      const rung = this._rung;
      this._rung = false;
      return Promise.resolve(rung);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this._wake?.(false), ms);
      this._wake = (rung) => {
        clearTimeout(timer);
        this._wake = undefined;
        this._rung = false;
        resolve(rung);
      };
    });
  }
}
