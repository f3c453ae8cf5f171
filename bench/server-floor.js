// The server floor for `npm run bench:server`: the least a chat server can do per message — Hono on
// @hono/node-server, the body parsed as JSON and checked with zod, one INSERT, the row as JSON —
// on the same storage as Parley: PGlite in a folder, or PostgreSQL through a pg pool of the same
// size. No verification, no rate limit, no idempotency, no log line. Parley's CPU per message is
// reported as a multiple of this one's.
//   node bench/server-floor.js <data folder>      embedded (PGlite)
//   DATABASE_URL=postgres://… node bench/server-floor.js
// Prints "Floor on http://127.0.0.1:PORT" on stderr once listening; stops on SIGTERM.
import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { z } from "zod";

const url = process.env.DATABASE_URL;
const query = url ? await postgres(url) : await pglite(process.argv[2]);
await query(`CREATE TABLE IF NOT EXISTS floor_messages (
  id text PRIMARY KEY, visitor_id text NOT NULL, client_id text NOT NULL, text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);

const id = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);
const body = z.object({ visitorId: id, clientId: id, text: z.string().min(1).max(4000), identity: z.unknown().optional() });

const app = new Hono();
app.post("/v1/apps/:appId/messages", async (c) => {
  let raw;
  try {
    raw = await c.req.json();
  } catch {
    return c.json({ error: { code: "invalid_json", message: "The request body must be JSON." } }, 400);
  }
  const parsed = body.safeParse(raw);
  if (!parsed.success) return c.json({ error: { code: "invalid_request", message: parsed.error.issues[0].message } }, 400);
  const { visitorId, clientId, text } = parsed.data;
  const [row] = await query(`INSERT INTO floor_messages (id, visitor_id, client_id, text) VALUES ($1, $2, $3, $4) RETURNING id, created_at`, [
    `msg_${randomBytes(12).toString("base64url")}`,
    visitorId,
    clientId,
    text,
  ]);
  return c.json({ message: { id: row.id, clientId, text, createdAt: new Date(row.created_at).toISOString() } }, 201);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => process.stderr.write(`Floor on http://127.0.0.1:${info.port}\n`));
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});

async function pglite(dir) {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(dir);
  await db.waitReady;
  return async (sql, params = []) => (await db.query(sql, params)).rows;
}

async function postgres(connectionString) {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString, max: 10 });
  return async (sql, params = []) => (await pool.query(sql, params)).rows;
}
