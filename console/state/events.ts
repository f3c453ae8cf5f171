// One stream of what changes in an app (server: server/http/admin-events.ts), while the app is
// chosen: the inbox re-reads its list on `inbox`, the Feedback screen its board on `feedback`.
// EventSource (the session cookie goes with it) re-opens by itself after a cut; each re-open is
// told as `open`, since what changed meanwhile was not.
import type { AdminEvents } from "../../contract/operator.ts";
import { seg } from "../api.ts";

export type AppEvent = keyof AdminEvents | "open" | "failed";

export interface AppEvents {
  on(event: AppEvent, fn: () => void): () => void;
  /** Whether the stream is working (else: long-poll). */
  readonly live: boolean;
}

export function openAppEvents(appId: string, base = "/console/api"): AppEvents & { close(): void } {
  const target = new EventTarget();
  let live = false;
  const tell = (event: AppEvent) => target.dispatchEvent(new Event(event));
  const source = typeof EventSource === "function" ? new EventSource(`${base}/apps/${seg(appId)}/events`) : undefined;
  if (source) {
    source.addEventListener("open", () => {
      live = true;
      tell("open");
    });
    for (const event of ["inbox", "feedback"] as const) source.addEventListener(event, () => tell(event));
    // CLOSED: the browser gave up (a refusal, say the session ended); CONNECTING: it retries by itself.
    source.addEventListener("error", () => {
      if (source.readyState !== EventSource.CLOSED) return;
      live = false;
      tell("failed");
    });
  } else queueMicrotask(() => tell("failed"));
  return {
    on(event, fn) {
      target.addEventListener(event, fn);
      return () => target.removeEventListener(event, fn);
    },
    get live() {
      return live;
    },
    close: () => source?.close(),
  };
}
