// Where this visitor stopped reading, on this device: the last message seen with the panel open
// (or just written). What came after it is unread, after a reload too. The mark names its visitor:
// another visitor's mark says nothing, and a new person's first read leaves nothing of the last one.
import type { Message } from "../../contract/wire.ts";
import { readJson, type KeyValue } from "./storage.ts";

export class ReadMark {
  constructor(
    private readonly _storage: KeyValue,
    private readonly _key: string,
  ) {}

  /** The last message `visitorId` saw here, if they saw any on this device. */
  seen(visitorId: string): string | undefined {
    const mark = readJson<{ visitorId?: unknown; id?: unknown }>(this._storage, this._key);
    return mark?.visitorId === visitorId && typeof mark.id === "string" ? mark.id : undefined;
  }

  /** `visitorId` has seen message `id` and everything before it. */
  mark(visitorId: string, id: string) {
    if (id !== this.seen(visitorId)) this._storage.set(this._key, JSON.stringify({ visitorId, id }));
  }

  /** Forgets the mark unless it is `visitorId`'s (a sign-in keeps the visitor, and its mark). */
  keepOnly(visitorId: string) {
    if (this.seen(visitorId) === undefined) this._storage.remove(this._key);
  }

  /**
   * What in `thread` (the whole thread, read into an empty view) is new to `visitorId`: what comes
   * after their mark. Without one (another device) none of it is, or every page load would count
   * replies read long ago.
   */
  unseen(thread: Message[], visitorId: string): Message[] {
    const id = this.seen(visitorId);
    const at = id === undefined ? -1 : thread.findIndex((m) => m.id === id);
    return at < 0 ? [] : thread.slice(at + 1);
  }
}
