// Whether this browser is signed in to the console. The session itself is an httpOnly cookie the
// page never sees: signing in sends the token once, over this same origin, and forgets it.
import { signal } from "@preact/signals-core";
import { ApiError, type Api } from "../api.ts";

export type SessionStatus = "checking" | "signed-in" | "signed-out";

export function createSession() {
  const status = signal<SessionStatus>("checking");
  /** Why the last sign-in failed, in words for the operator. */
  const problem = signal<string | undefined>(undefined);
  const busy = signal(false);
  /** Set by the API whenever the server says the session is over. */
  const ended = () => {
    if (status.peek() === "signed-in") problem.value = "Your session ended (signed out, expired, or the server restarted). Sign in again.";
    status.value = "signed-out";
  };

  function bind(api: Api) {
    return {
      async check() {
        try {
          await api.get("/session");
          status.value = "signed-in";
        } catch (err) {
          // A server that cannot be reached: say so on the sign-in page rather than spin.
          if (!(err instanceof ApiError && err.status === 401)) problem.value = (err as Error).message;
          status.value = "signed-out";
        }
      },
      async signIn(token: string): Promise<boolean> {
        busy.value = true;
        problem.value = undefined;
        try {
          await api.send("POST", "/session", { token });
          status.value = "signed-in";
          return true;
        } catch (err) {
          problem.value = err instanceof ApiError && err.code === "invalid_request" ? "Enter the operator token." : (err as Error).message;
          return false;
        } finally {
          busy.value = false;
        }
      },
      async signOut() {
        try {
          await api.send("DELETE", "/session");
        } catch {
          // Signed out already, or unreachable: this page forgets the session either way.
        }
        problem.value = undefined;
        status.value = "signed-out";
      },
    };
  }
  return { status, problem, busy, ended, bind };
}
export type Session = ReturnType<typeof createSession>;
