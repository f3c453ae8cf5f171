// The conversation and who is having it: framework-free state (signals) and the actions on it.
// The Preact layer only renders these signals and calls these methods.
import { computed, signal } from "@preact/signals-core";
import type { Claim, ConversationResponse, IdentityVerdict, Message, SendMessageResponse } from "../../contract/wire.ts";
import { MAX_TEXT_LENGTH } from "../../contract/wire.ts";
import { postJson, type ApiResult } from "./api.ts";
import { claimedUser, sameClaim } from "./claim.ts";
import { curable, freshClaim, REFRESH_TIMEOUT_MS, refreshInMs } from "./identity.ts";
import { Emitter } from "./emitter.ts";
import { randomId } from "./ids.ts";
import { warn } from "./log.ts";
import { backoffMs, Outbox, webLock, type OutboxItem } from "./outbox.ts";
import { readJson, type KeyValue } from "./storage.ts";

export interface ChatConfig {
  appId: string;
  apiBase: string;
  debug?: boolean;
  storage: KeyValue;
  claim?: Claim | null;
  /** How long a long-poll for replies waits on the server, in seconds. */
  pollSeconds?: number;
  /** The host's way to a fresh proof of the same user (see identity.ts). */
  refreshIdentity?: () => unknown;
}

/** One line of the conversation as the visitor sees it. */
export interface ViewMessage {
  key: string;
  text: string;
  mine: boolean;
  name?: string;
  state: "sent" | "pending" | "failed";
  clientId?: string;
}

/** What one tab tells the others of the site when the person changes, so they all agree. */
interface TabMessage {
  record: VisitorRecord;
  claim: Claim | null;
}

/** This browser's visitor: who the local state belongs to. Stored, so a reload keeps it. */
interface VisitorRecord {
  id: string;
  /** The user this visitor's state belongs to, as claimed (null: anonymous). */
  owner: string | null;
  /** Has a conversation on the server worth loading at start. */
  active?: boolean;
}

export class Chat {
  readonly isOpen = signal(false);
  readonly verdict = signal<IdentityVerdict | null>(null);
  readonly history = signal<Message[]>([]);
  readonly visitorId = signal("");
  /** Operator replies that arrived while the panel was closed. */
  readonly unread = signal(0);
  readonly events = new Emitter();
  readonly outbox: Outbox;
  readonly messages = computed(() => this._view());
  claim: Claim | null;

  private _record: VisitorRecord;
  /** Bumped on every identity change: answers to requests made before it are about someone else. */
  private _epoch = 0;
  private _running = false;
  private _polling = false;
  private _poll: AbortController | undefined;
  private _refresher: (() => unknown) | undefined;
  private _refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private _refreshing: Promise<boolean> | undefined;
  /** Whether this identity's history has been read once: what arrives after it is new (a `message` event). */
  private _live = false;
  /** The server refused this page for good (origin not allowed, no such app): said once; no more polling. */
  private _refused = false;
  private readonly _keyVisitor: string;
  private readonly _keyOutbox: string;
  private _tabs: BroadcastChannel | undefined;

  constructor(private readonly _cfg: ChatConfig) {
    this._keyVisitor = `parley:${_cfg.appId}:visitor`;
    this._keyOutbox = `parley:${_cfg.appId}:outbox`;
    this.claim = clone(_cfg.claim ?? null);
    this._refresher = _cfg.refreshIdentity;
    const stored = readJson<VisitorRecord>(_cfg.storage, this._keyVisitor);
    const user = claimedUser(this.claim);
    // A stored visitor that belonged to someone else (e.g. the site logged out with a full page
    // load) is never reused: nothing of the previous person reaches this one.
    this._record = stored && typeof stored.id === "string" && (stored.owner === null || stored.owner === user) ? stored : newRecord();
    this._record.owner = user;
    this._saveRecord();
    this.outbox = new Outbox(_cfg.storage, this._keyOutbox, (item) => this._deliver(item), Math.random, webLock(this._keyOutbox));
    this.outbox.forgetFailed(this._record.id);
  }

  /** Starts network and page listeners; returns how to stop them. */
  start(): () => void {
    this._running = true;
    const online = () => {
      this.outbox.kick();
      this._ensurePolling();
    };
    const visible = () => this._ensurePolling();
    // Another tab wrote to the shared outbox: show what it added, drop what it sent.
    const stored = (e: StorageEvent) => (e.key === this._keyOutbox || e.key === null) && this.outbox.reload();
    addEventListener("online", online);
    addEventListener("storage", stored);
    document.addEventListener("visibilitychange", visible);
    if (typeof BroadcastChannel === "function") {
      this._tabs = new BroadcastChannel(`parley:${this._cfg.appId}`);
      this._tabs.onmessage = (e: MessageEvent<TabMessage>) => this._fromOtherTab(e.data);
    }
    void this.outbox.flush();
    if (this.claim || this._record.active) this._refresh();
    this._scheduleRefresh();
    this.events.emit("ready", undefined, true);
    return () => {
      this._running = false;
      removeEventListener("online", online);
      removeEventListener("storage", stored);
      document.removeEventListener("visibilitychange", visible);
      this._tabs?.close();
      this.outbox.stop();
      this._poll?.abort();
      clearTimeout(this._refreshTimer);
    };
  }

  /** Shows the message at once and keeps it until the server has it. False when there is nothing to send. */
  send(text: string): boolean {
    // A pasted U+0000 is invisible and cannot be stored: the server would refuse the whole message.
    const body = text.replaceAll("\u0000", "").trim();
    if (!body) return false;
    if (body.length > MAX_TEXT_LENGTH) {
      warn(`a message is limited to ${MAX_TEXT_LENGTH} characters`);
      return false;
    }
    this.outbox.add({ clientId: randomId(), text: body, claim: this.claim, visitorId: this.visitorId.peek(), createdAt: new Date().toISOString() });
    return true;
  }

  identify(claim: Claim, refreshIdentity?: () => unknown) {
    if (refreshIdentity) this._refresher = refreshIdentity;
    if (sameClaim(claim, this.claim)) return;
    const user = claimedUser(claim);
    if (this._record.owner !== null && this._record.owner !== user) this._newVisitor();
    this._record.owner = user;
    this._saveRecord();
    this._switch(clone(claim));
    this._tellTabs();
    this._refresh();
    this._scheduleRefresh();
  }

  /** A fresh anonymous visitor. The last user's pending messages are still delivered, as that user. */
  logout() {
    this._newVisitor();
    this._switch(null);
    this._tellTabs();
    this._setVerdict({ status: "anonymous" });
  }

  open() {
    if (this.isOpen.peek()) return;
    this.isOpen.value = true;
    this.unread.value = 0;
    this.events.emit("open");
    if (this._record.active || this.claim) this._refresh();
  }

  close() {
    if (!this.isOpen.peek()) return;
    this.isOpen.value = false;
    this.events.emit("close");
  }

  toggle() {
    if (this.isOpen.peek()) this.close();
    else this.open();
  }

  /**
   * Reads the conversation (new messages only). With `wait`, a long-poll for replies. On failure,
   * `ok: false` and the seconds the server asked us to wait, if it said (a restart, a 429).
   */
  async sync(wait = 0, signal?: AbortSignal): Promise<{ ok: boolean; retryAfter?: number }> {
    // Calls replayed before start() change state only: start() reads once, with the final identity.
    if (!this._running) return OK;
    const epoch = this._epoch;
    const claim = this.claim;
    const list = this.history.peek();
    const res = await postJson<ConversationResponse>(
      this._url("conversation"),
      { visitorId: this.visitorId.peek(), identity: claim ?? undefined, after: list[list.length - 1]?.id, wait: wait || undefined },
      signal,
    );
    if (epoch !== this._epoch || !this._running) return OK;
    if (!res.data) {
      this._noteRefusal(res);
      return { ok: false, retryAfter: res.retryAfter };
    }
    if (Array.isArray(res.data.messages)) this._addHistory(res.data.messages, this._live);
    this._live = true;
    if (res.data.identity) this._applyVerdict(res.data.identity, claim, false);
    return OK;
  }

  private async _deliver(item: OutboxItem) {
    const claim = await this._claimFor(item);
    const res = await postJson<SendMessageResponse>(this._url("messages"), {
      visitorId: item.visitorId,
      clientId: item.clientId,
      text: item.text,
      identity: claim ?? undefined,
    });
    if (res.data?.message) {
      // The verdict first: a long-poll started below must not carry a claim just rejected.
      if (res.data.identity) this._applyVerdict(res.data.identity, claim, true);
      if (this._isCurrent(item)) {
        // The first message of this visitor: the other tabs start reading the thread too.
        if (!this._record.active) {
          this._record.active = true;
          this._saveRecord();
          this._tellTabs();
        }
        this._addHistory([res.data.message], true);
        this._ensurePolling();
      }
    }
    this._noteRefusal(res);
    return { status: res.status, message: res.error?.message, retryAfter: res.retryAfter };
  }

  /**
   * A refusal no retry can cure — this page's origin is not allowed, or there is no such app — is
   * a mistake in the site's set-up: tell its developer once, in words they can act on. The
   * message shows as not sent (the outbox marks it failed); polling stops.
   */
  private _noteRefusal(res: ApiResult<unknown>) {
    const code = res.error?.code;
    if (code !== "origin_not_allowed" && code !== "app_not_found") return;
    this._poll?.abort();
    if (this._refused) return;
    this._refused = true;
    const { appId, apiBase } = this._cfg;
    warn(code === "origin_not_allowed" ? `add this page's origin, ${location.origin}, to app ${appId}'s origins: nothing is sent until then` : `no app ${appId} at ${apiBase}: check the snippet's appId`);
  }

  /** Reads the conversation now (and the verdict on the current claim), then keeps listening. */
  private _refresh() {
    void this.sync().then(() => this._ensurePolling());
  }

  /** Long-polls for replies while someone could see them: panel open or a conversation going, page visible. */
  private async _ensurePolling() {
    if (this._polling) return;
    this._polling = true;
    let failures = 0;
    while (this._running && !this._refused && !document.hidden && (this.isOpen.peek() || this.history.peek().length > 0)) {
      this._poll = new AbortController();
      const { ok, retryAfter } = await this.sync(this._cfg.pollSeconds ?? 25, this._poll.signal);
      failures = ok || this._poll.signal.aborted ? 0 : failures + 1;
      // A server that says when to come back (restarting: 503, busy: 429) is believed over our
      // backoff — give or take a quarter, so the widgets of a whole site do not return at once.
      if (failures) await new Promise((r) => setTimeout(r, Math.max(backoffMs(failures, Math.random), (retryAfter ?? 0) * 1000 * (1 + Math.random() / 4))));
    }
    this._polling = false;
  }

  private _tellTabs() {
    try {
      this._tabs?.postMessage({ record: this._record, claim: this.claim } satisfies TabMessage);
    } catch {
      /* a closed channel: this tab is stopping */
    }
  }

  /** Another tab's identify or logout: become the same visitor, with the same claim. */
  private _fromOtherTab(msg: TabMessage) {
    const record = msg?.record;
    if (!record || typeof record.id !== "string") return;
    if (record.id === this._record.id && sameClaim(msg.claim, this.claim)) {
      // The same visitor started a conversation in another tab: this one shows it and its replies.
      if (record.active && !this._record.active) {
        this._record.active = true;
        this._refresh();
      }
      return;
    }
    this._record = { ...record };
    this._saveRecord();
    this.outbox.forgetFailed(record.id);
    this._switch(msg.claim ?? null);
    if (this.claim) this._refresh();
    else this._setVerdict({ status: "anonymous" });
  }

  /**
   * The proof a queued message goes with: its own, unless its token runs out (or has) and the host
   * can refresh — then the current proof of the same person, refreshed first if it runs out too.
   * A message is never filed anonymously only because a token aged while a callback could renew it.
   */
  private async _claimFor(item: OutboxItem): Promise<Claim | null> {
    if (!this._refresher || !this._isCurrent(item) || refreshInMs(item.claim, Date.now()) !== 0) return item.claim;
    if (refreshInMs(this.claim, Date.now()) === 0) await this._refreshClaim();
    return claimedUser(this.claim) === claimedUser(item.claim) ? this.claim : item.claim;
  }

  /** Asks the host for a fresh proof of the same user, once at a time; true when one is in use. Never throws. */
  private _refreshClaim(): Promise<boolean> {
    return (this._refreshing ??= this._askHost().finally(() => (this._refreshing = undefined)));
  }

  private async _askHost(): Promise<boolean> {
    const old = this.claim;
    let answer: unknown;
    try {
      answer = await Promise.race([
        Promise.resolve().then(this._refresher),
        new Promise((_, fail) => setTimeout(fail, REFRESH_TIMEOUT_MS, "timed out")),
      ]);
    } catch (err) {
      answer = err;
    }
    const fresh = freshClaim(answer, this._record.owner);
    // The person changed meanwhile (identify, logout): this answer is about someone else.
    if (!sameClaim(old, this.claim)) return false;
    if (typeof fresh === "string") {
      if (this._cfg.debug) warn("refreshIdentity: " + fresh, answer);
      return false;
    }
    this.claim = clone(fresh);
    this._scheduleRefresh();
    return true;
  }

  /** Asks for a fresh token a minute before this one runs out, while the host can give one. */
  private _scheduleRefresh() {
    clearTimeout(this._refreshTimer);
    const wait = this._refresher && this._running ? refreshInMs(this.claim, Date.now()) : undefined;
    if (wait !== undefined) this._refreshTimer = setTimeout(() => void this._refreshClaim(), wait);
  }

  private _applyVerdict(verdict: IdentityVerdict, usedClaim: Claim | null, fromMessage: boolean) {
    // A verdict on a claim that is no longer current says nothing about the current one.
    if (!sameClaim(usedClaim, this.claim)) return;
    // Once per change, like the event: every request carries the claim, so a rejection repeats.
    if (verdict.status === "rejected" && this._cfg.debug && !sameVerdict(this.verdict.peek(), verdict)) {
      warn(`identity rejected (${verdict.reason ?? "unknown"}); continuing as an anonymous visitor.${verdict.hint ? ` ${verdict.hint}` : ""}`);
    }
    // An expired or revoked proof, where the host can renew it: renew, and read again as the user
    // (the server folds what was just filed anonymously into their thread). Otherwise the claim is
    // dropped once a message was stored under the rejection, so the inbox shows that message as
    // rejected; a read alone keeps it, so the next message still carries what the host gave.
    if (verdict.status === "rejected" && this._refresher && curable(verdict)) {
      void this._refreshClaim().then((renewed) => {
        if (renewed) this._refresh();
        else if (fromMessage && sameClaim(usedClaim, this.claim)) this.claim = null;
      });
    } else if (verdict.status === "rejected" && fromMessage) this.claim = null;
    this._setVerdict(verdict);
  }

  private _setVerdict(v: IdentityVerdict) {
    const prev = this.verdict.peek();
    this.verdict.value = v;
    if (!sameVerdict(prev, v)) this.events.emit("identity", { ...v }, true);
  }

  /** `live`: these arrived now (a reply, our own message stored), not history read at start or sign-in. */
  private _addHistory(messages: Message[], live: boolean) {
    const known = new Set(this.history.peek().map((m) => m.id));
    const fresh = messages.filter((m) => !known.has(m.id));
    if (!fresh.length) return;
    this.history.value = [...this.history.peek(), ...fresh];
    if (!this.isOpen.peek()) this.unread.value += fresh.filter((m) => m.author.type === "operator").length;
    if (live) for (const m of fresh) this.events.emit("message", m);
  }

  private _switch(claim: Claim | null) {
    this.claim = claim;
    this._live = false;
    this._epoch++;
    this._poll?.abort();
    this.history.value = [];
    this.unread.value = 0;
  }

  private _newVisitor() {
    this._record = newRecord();
    this._saveRecord();
    this.outbox.forgetFailed(this._record.id);
  }

  private _saveRecord() {
    this.visitorId.value = this._record.id;
    this._cfg.storage.set(this._keyVisitor, JSON.stringify(this._record));
  }

  /**
   * Whether a message belongs on the screen now. The visitor id alone decides: it changes
   * whenever the person does, and stays when a rejected claim is dropped (same person, now anonymous).
   */
  private _isCurrent(item: OutboxItem) {
    return item.visitorId === this._record.id;
  }

  private _view(): ViewMessage[] {
    const history = this.history.value;
    const sent = new Set(history.map((m) => m.clientId));
    const view: ViewMessage[] = history.map((m) => ({
      key: m.id,
      text: m.text,
      mine: m.author.type === "visitor",
      name: m.author.type === "operator" ? m.author.name : undefined,
      state: "sent",
    }));
    this.visitorId.value; // the view depends on who the visitor is
    for (const item of this.outbox.items.value) {
      if (!sent.has(item.clientId) && this._isCurrent(item)) view.push({ key: item.clientId, text: item.text, mine: true, state: item.state, clientId: item.clientId });
    }
    return view;
  }

  private _url(path: string) {
    return `${this._cfg.apiBase}/v1/apps/${encodeURIComponent(this._cfg.appId)}/${path}`;
  }
}

const OK = { ok: true } as const;
const sameVerdict = (a: IdentityVerdict | null, b: IdentityVerdict) => !!a && a.status === b.status && a.userId === b.userId && a.reason === b.reason;
const newRecord = (): VisitorRecord => ({ id: randomId(), owner: null });
/** A snapshot: the host mutating its object later must not change what a queued message carries. */
const clone = <T>(value: T): T => (value == null ? value : JSON.parse(JSON.stringify(value)));
