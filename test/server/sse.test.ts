// The event stream the long-lived routes write into (server/http/sse.ts), both ways out: a web
// ReadableStream (the in-process fetch the other server tests use) and straight onto node:http's
// response (a real server, as `parley serve` runs it). What it writes, when it closes, and when it
// lets a client go. No storage.
import { request, type ClientRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { afterEach, describe, expect, it } from "vitest";
import { eventStream, type EventWriter } from "../../server/http/sse.ts";
import { listen, type Running } from "../../server/serve.ts";

type Write = (out: EventWriter, gone: AbortSignal) => Promise<void>;

const ORIGIN = "https://site.test";

/** An app whose one route streams with `write`, behind the CORS middleware as the API's routes are. */
function appWith(write: Write, seen?: (env: { outgoing?: ServerResponse }) => void) {
  const app = new Hono();
  app.use(cors({ origin: ORIGIN }));
  app.get("/events", (c) => {
    seen?.(c.env as { outgoing?: ServerResponse });
    return eventStream(c, write);
  });
  return app;
}

/** A promise and its resolver. */
function later<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Writes a few of each kind of line, then ends. */
const script: Write = async (out) => {
  out.send("identity", '{"status":"anonymous"}', { id: "m_1" });
  out.send("messages", "[]");
  out.comment("keep-alive");
  out.send("end", "{}", { retry: 0 });
};
const SCRIPTED = 'event: identity\ndata: {"status":"anonymous"}\nid: m_1\n\nevent: messages\ndata: []\n\n: keep-alive\n\nevent: end\ndata: {}\nretry: 0\n\n';

describe("in-process (a web stream)", () => {
  it("answers an event stream no proxy buffers or caches, writes events with their id and retry and comments, and closes when the writer is done", async () => {
    const res = await appWith(script).request("/events", { headers: { origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(await res.text()).toBe(SCRIPTED);
  });

  it("closes the stream when the writer fails, with what it wrote before", async () => {
    const res = await appWith(async (out) => {
      out.send("identity", "{}");
      throw new Error("storage went away");
    }).request("/events");
    expect(await res.text()).toBe("event: identity\ndata: {}\n\n");
  });

  it("a client that leaves (its reader cancelled) is gone at once; what is written after goes nowhere", async () => {
    const left = later<AbortSignal>();
    const after = later();
    const done = later();
    const res = await appWith(async (out, gone) => {
      out.send("identity", "{}");
      gone.addEventListener("abort", () => left.resolve(gone));
      await after.promise;
      out.send("messages", "[]");
      done.resolve();
    }).request("/events");
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("event: identity\ndata: {}\n\n");
    await reader.cancel();
    expect((await left.promise).aborted).toBe(true);
    after.resolve();
    await done.promise;
  });

  it("a request aborted by its client makes it gone too; what is written after goes nowhere", async () => {
    const left = later();
    const client = new AbortController();
    let signal: AbortSignal | undefined;
    const res = await appWith(async (out, gone) => {
      signal = gone;
      gone.addEventListener("abort", () => left.resolve());
      out.send("identity", "{}");
      await left.promise;
      out.send("messages", "[]");
    }).request("/events", { signal: client.signal });
    expect(signal!.aborted).toBe(false);
    client.abort();
    await left.promise;
    expect(signal!.aborted).toBe(true);
    expect(await res.text()).toBe("event: identity\ndata: {}\n\n");
  });

  it("a client that reads nothing is let go once 256 chunks wait unread, not before; nothing is queued after", async () => {
    const sent: boolean[] = [];
    const done = later();
    const res = await appWith(async (out, gone) => {
      // The stream queues one chunk without pressure (desiredSize 1 - queued): the 258th leaves
      // desiredSize at -256, the 259th finds it below.
      for (let i = 1; i <= 300; i++) {
        out.send("messages", String(i));
        sent.push(gone.aborted);
      }
      done.resolve();
    }).request("/events");
    await done.promise;
    expect(sent.indexOf(true)).toBe(258);
    const reader = res.body!.getReader();
    let chunks = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks++;
    expect(chunks).toBe(258);
  });
});

describe("served by node:http", () => {
  let server: Running | undefined;
  const open: ClientRequest[] = [];
  afterEach(async () => {
    for (const req of open.splice(0)) req.destroy();
    await server?.close();
    server = undefined;
  });

  async function serve(write: Write, seen?: (env: { outgoing?: ServerResponse }) => void) {
    server = await listen(appWith(write, seen), 0, "127.0.0.1");
    return server.url;
  }

  /** A GET whose response is handed over before its body is read (paused). */
  function get(url: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request(`${url}/events`, { headers: { origin: ORIGIN } }, (res) => {
        res.pause();
        resolve(res);
      });
      req.on("error", reject);
      open.push(req);
      req.end();
    });
  }

  const text = async (res: IncomingMessage) => {
    res.setEncoding("utf8");
    let all = "";
    for await (const chunk of res) all += chunk;
    return all;
  };

  it("sends the same headers (the middleware's with its own) and the same lines, and ends the response when the writer is done", async () => {
    const res = await get(await serve(script));
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/event-stream");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["x-accel-buffering"]).toBe("no");
    expect(res.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(await text(res)).toBe(SCRIPTED);
  });

  it("sends the headers at once, before any event: the client knows the stream is open", async () => {
    const go = later();
    const res = await get(await serve(async (out) => {
      await go.promise;
      out.send("end", "{}");
    }));
    expect(res.statusCode).toBe(200);
    go.resolve();
    expect(await text(res)).toBe("event: end\ndata: {}\n\n");
  });

  it("a client that closes its connection is gone at once; the writer is not kept waiting", async () => {
    const left = later();
    const done = later();
    const res = await get(await serve(async (out, gone) => {
      out.send("identity", "{}");
      gone.addEventListener("abort", () => left.resolve());
      await left.promise;
      out.send("messages", "[]");
      done.resolve();
    }));
    res.destroy();
    open[0]!.destroy();
    await left.promise;
    await done.promise;
  });

  it("a client that reads nothing is let go once more than 256 KiB wait unwritten, not before; nothing is written after", async () => {
    const chunk = "x".repeat(16 * 1024);
    let outgoing: ServerResponse | undefined;
    const done = later<{ waiting: number; gone: boolean }[]>();
    const res = await get(
      await serve(
        async (out, gone) => {
          // Each send: what waited in the response's buffer before it, and whether the client was let go by it.
          const sends: { waiting: number; gone: boolean }[] = [];
          while (!gone.aborted && sends.length < 10_000) {
            const waiting = outgoing!.writableLength;
            out.send("messages", chunk);
            sends.push({ waiting, gone: gone.aborted });
            await new Promise((r) => setImmediate(r));
          }
          done.resolve(sends);
        },
        (env) => (outgoing = env.outgoing),
      ),
    );
    const sends = await done.promise;
    const last = sends[sends.length - 1]!;
    expect(last.gone).toBe(true);
    expect(last.waiting).toBeGreaterThan(256 * 1024);
    expect(sends.slice(0, -1).every((s) => !s.gone && s.waiting <= 256 * 1024)).toBe(true);
    // The send that let it go wrote nothing more.
    expect(outgoing!.writableLength).toBeLessThanOrEqual(last.waiting);
    res.destroy();
  });
});
