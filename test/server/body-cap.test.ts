// server/http/errors.ts's body cap on its own: a body of known length is judged by it (its limit
// included), a chunked one — or one that claims a length and is also chunked — is counted as it
// is read. No database: a route that echoes what it read.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { bodyCap } from "../../server/http/errors.ts";

const MAX = 16;
const app = new Hono().use(bodyCap(MAX)).post("/", async (c) => c.text(await c.req.text()));

const post = (body: BodyInit, headers: Record<string, string>) => app.request("/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
const chunks = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });

describe("bodyCap", () => {
  it("a body of exactly the limit passes; one byte more is refused by its Content-Length", async () => {
    const exact = await post("x".repeat(MAX), { "content-length": String(MAX) });
    expect([exact.status, await exact.text()]).toEqual([200, "x".repeat(MAX)]);
    const over = await post("x".repeat(MAX + 1), { "content-length": String(MAX + 1) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
  });

  it("a chunked body that also claims a small Content-Length is counted as it is read", async () => {
    const res = await post(chunks("x".repeat(MAX), "yyyy"), { "content-length": "4", "transfer-encoding": "chunked" });
    expect(res.status).toBe(413);
  });
});
