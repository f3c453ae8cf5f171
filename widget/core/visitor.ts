// This browser's visitor: whose local state this is. Stored, so a reload keeps it, and shared by
// every tab of the site. The id changes whenever the person does, so nothing of one person's
// conversation or drafts reaches the next.
import { signal } from "@preact/signals-core";
import { randomId } from "./ids.ts";
import { readJson, type KeyValue } from "./storage.ts";

export interface VisitorRecord {
  id: string;
  /** The user this visitor's state belongs to, as claimed (null: anonymous). */
  owner: string | null;
  /** Has a conversation on the server worth loading at start. */
  active?: boolean;
}

export class Visitor {
  /** The current visitor id, for what renders per visitor. */
  readonly id = signal("");
  private _record: VisitorRecord;
  /** Whether storage holds this visitor (so every change must reach it). */
  private _stored: boolean;

  constructor(
    private readonly _storage: KeyValue,
    private readonly _key: string,
    owner: string | null,
  ) {
    const stored = readJson<VisitorRecord>(_storage, _key);
    // A stored visitor that belonged to someone else (e.g. the site logged out with a full page
    // load) is never reused.
    const reused = !!stored && typeof stored.id === "string" && (stored.owner === null || stored.owner === owner);
    this._record = reused ? stored : fresh();
    this._record.owner = owner;
    this.id.value = this._record.id;
    // Written when there is something to keep (a message, a conversation, a change of person), not
    // on every page view: a visitor who never writes leaves nothing in storage.
    this._stored = reused;
  }

  get record(): Readonly<VisitorRecord> {
    return this._record;
  }

  /**
   * The claim now names `owner`. An anonymous visitor signing in stays the same visitor (the
   * server folds its conversation into the user's); another user becomes a new visitor. True
   * when it did.
   */
  claimedBy(owner: string | null): boolean {
    const renewed = this._record.owner !== null && this._record.owner !== owner;
    if (renewed) this._record = fresh();
    this._record.owner = owner;
    this._save();
    return renewed;
  }

  /** A new anonymous visitor: logout. */
  renew() {
    this._record = fresh();
    this._save();
  }

  /** This visitor has a conversation now; false when it already had. */
  markActive(): boolean {
    if (this._record.active) return false;
    this._record.active = true;
    this.persist();
    return true;
  }

  /** Keeps this visitor in storage from now on: it wrote something worth finding after a reload. True the first time. */
  persist(): boolean {
    const first = !this._stored;
    this._stored = true;
    this._save();
    return first;
  }

  /** Becomes the visitor another tab became (and stored). */
  adopt(record: VisitorRecord) {
    this._record = { ...record };
    this.persist();
  }

  private _save() {
    this.id.value = this._record.id;
    if (this._stored) this._storage.set(this._key, JSON.stringify(this._record));
  }
}

const fresh = (): VisitorRecord => ({ id: randomId(), owner: null });

/** Another tab's news about the visitor, read defensively: it crossed a channel any script on the origin can post to. */
export const isRecord = (value: unknown): value is VisitorRecord => !!value && typeof (value as VisitorRecord).id === "string";
