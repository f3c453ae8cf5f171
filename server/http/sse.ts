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
