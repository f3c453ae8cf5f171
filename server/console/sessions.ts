// The console's sessions: a random id in an httpOnly cookie, and here, in this process's memory,
// what it stands for. Nothing survives a restart (every operator signs in again), and a session
// ends when its operator signs out, after IDLE_S without a request, or MAX_AGE_S after sign-in.
// The map is keyed by a hash of the id, so nothing here is a usable cookie. The clock is passed in.
import { createHash, randomBytes } from "node:crypto";

export const IDLE_S = 12 * 3600;
export const MAX_AGE_S = 7 * 24 * 3600;
/** Sessions held at most (only a holder of the operator token makes one); the oldest goes first. */
const MAX_SESSIONS = 1000;

interface Session {
  createdAt: number;
  lastSeen: number;
}

export class ConsoleSessions {
  // Insertion order is the order of sign-in.
  private readonly sessions = new Map<string, Session>();

  /** A new session; its id, for the cookie (shown nowhere else). */
  create(now: number): string {
    const id = randomBytes(32).toString("base64url");
    this.sessions.set(key(id), { createdAt: now, lastSeen: now });
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return id;
  }

  /** Whether `id` names a live session; a live one counts as used now. */
  touch(id: string | undefined, now: number): boolean {
    if (!id) return false;
    const k = key(id);
    const session = this.sessions.get(k);
    if (!session) return false;
    if (now - session.lastSeen > IDLE_S || now - session.createdAt > MAX_AGE_S) {
      this.sessions.delete(k);
      return false;
    }
    session.lastSeen = now;
    return true;
  }

  end(id: string | undefined) {
    if (id) this.sessions.delete(key(id));
  }

  get size() {
    return this.sessions.size;
  }
}

const key = (id: string) => createHash("sha256").update(id, "utf8").digest("base64url");
