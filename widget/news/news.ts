// "What's new": the announcements this visitor's claim may read, and which are unread. In the
// first chunk only for the launcher's count; the tab that shows them is a lazy chunk (news-tab.tsx).
import { computed, signal } from "@preact/signals-core";
import type { Announcement, AnnouncementsRequest, AnnouncementsResponse, IdentityVerdict } from "../../contract/wire.ts";
import type { ApiResult } from "../core/api.ts";

export interface NewsApi {
  post<T>(path: string, body: AnnouncementsRequest): Promise<ApiResult<T>>;
  /** Who is asking now: the visitor and the claim every request carries. */
  who(): AnnouncementsRequest;
  /** The visitor is about to write something (a read): keep them, so a reload is the same visitor. */
  keep(): void;
}

export class News {
  readonly items = signal<Announcement[]>([]);
  readonly unread = computed(() => this.items.value.filter((a) => !a.read).length);
  /** Bumped when the person changes: an answer to an older query is about someone else. */
  private _epoch = 0;

  constructor(private readonly _api: NewsApi) {}

  /** Reads the announcements for the current claim; the verdict on it, if the server gave one. */
  async load(): Promise<IdentityVerdict | undefined> {
    const epoch = this._epoch;
    const res = await this._api.post<AnnouncementsResponse>("announcements/query", this._api.who());
    if (epoch !== this._epoch || !Array.isArray(res.data?.announcements)) return undefined;
    this.items.value = res.data.announcements;
    return res.data.identity;
  }

  /** Another person: nothing of the last one's announcements stays. */
  reset() {
    this._epoch++;
    this.items.value = [];
  }

  /** Marks these read, here at once and on the server (for this user on every device). */
  read(ids: string[]) {
    const unread = new Set(ids.filter((id) => this.items.peek().some((a) => a.id === id && !a.read)));
    if (!unread.size) return;
    this._api.keep();
    this.items.value = this.items.peek().map((a) => (unread.has(a.id) ? { ...a, read: true } : a));
    for (const id of unread) void this._api.post(`announcements/${encodeURIComponent(id)}/read`, this._api.who());
  }
}
