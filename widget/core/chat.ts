// The conversation and who is having it, as wiring: the visitor, its claim (and the host's way to
// renew it), the timeline, the outbox, the long-poll, the other tabs and the panel each live in
// their own module; this one decides how they answer each other. Framework-free: the Preact layer
// renders these signals and calls these methods.
import { computed, effect, signal } from "@preact/signals-core";
import type { Claim, ConversationResponse, IdentityVerdict, Message, OpenOptions, SendMessageResponse, TabName } from "../../contract/wire.ts";
import { MAX_TEXT_LENGTH } from "../../contract/wire.ts";
import { postJson, type ApiResult } from "./api.ts";
import { claimedUser, sameClaim } from "./claim.ts";
import type { News } from "../news/news.ts";
import { Emitter } from "./emitter.ts";
import { afterRejection } from "./identity.ts";
import { idle } from "./idle.ts";
import { once } from "./lazy.ts";
import { randomId } from "./ids.ts";
import { warn } from "./log.ts";
import { Outbox, webLock, type OutboxItem } from "./outbox.ts";
import { Panel } from "./panel.ts";
import { Poller } from "./poller.ts";
import type { Listener, listen as Listen, StreamEnd } from "../live/stream.ts";
import type { Refresher } from "./refresher.ts";
import { ReadMark } from "./read-mark.ts";
import type { KeyValue } from "./storage.ts";
import { Tabs, type OpenChannel } from "./tabs.ts";
import { Timeline, viewOf } from "./timeline.ts";
import { Visitor, type VisitorRecord } from "./visitor.ts";

export type { ViewMessage } from "./timeline.ts";

export interface ChatConfig {
  appId: string;
  apiBase: string;
  debug?: boolean;
  storage: KeyValue;
  claim?: Claim | null;
  /** How long a long-poll for replies waits on the server, in seconds. */
  pollSeconds?: number;
  /** The host's way to a fresh proof of the same user (see refresher.ts). */
  refreshIdentity?: () => unknown;
  /** How tabs talk (BroadcastChannel unless a test gives its own). */
  channel?: OpenChannel;
  /** The panel's tabs as the site owner chose them; unset: chat, and each other with content. */
  tabs?: TabName[];
}

export class Chat {
  readonly verdict = signal<IdentityVerdict | null>(null);
  readonly events = new Emitter();
  readonly outbox: Outbox;
  readonly messages = computed(() => viewOf(this._timeline.history.value, this.outbox.items.value, this._visitor.id.value));
  /** The proof every request carries now (null: anonymous). */
  claim: Claim | null;

  private readonly _visitor: Visitor;
  private readonly _timeline = new Timeline();
  private readonly _panel = new Panel(this.events);
  private readonly _poller: Poller;
  /** Stream or long-poll (live/listener.ts), once its chunk has loaded. */
  private _listener: Listener | undefined;
  private readonly _tabs: Tabs;
  /** The host's way to a fresh proof (settings, init or identify's options). */
  private _host: (() => unknown) | undefined;
  /** Renews the claim with `_host`: its own chunk, fetched only once there is a host to ask. */
  private _refresher: Promise<Refresher | undefined> | undefined;
  private _stopRefresher: (() => void) | undefined;
  /** The What's new chunk, fetched when the browser is idle after start or the panel opens. */
  private readonly _newsChunk = once(() => import("../news/news.ts"));
  /** Bumped on every identity change: answers to requests made before it are about someone else. */
  private _epoch = 0;
  private _running = false;
  /** Whether this identity's history has been read once: what arrives after it is new (a `message` event). */
  private _live = false;
  /** The server refused this page for good (origin not allowed, no such app): said once; no more polling. */
  private _refused = false;
  private readonly _keyOutbox: string;
  /** What this visitor last saw on this device: what came after it is unread. */
  private readonly _readMark: ReadMark;

  readonly isOpen = this._panel.isOpen;
  readonly unread = this._panel.unread;
  readonly history = this._timeline.history;
  readonly tab = this._panel.tab;
  /** What's new: the announcements this claim may read (news/news.ts, once its chunk is here). */
  readonly news = signal<News | undefined>(undefined);
  /** Announcements not read yet. */
  readonly newsUnread = computed(() => this.news.value?.unread.value ?? 0);
  /** The panel's tabs: the site owner's choice, else chat and each other tab with something in it. */
  readonly tabs = computed<TabName[]>(() => this._cfg.tabs ?? ["chat", ...(this.news.value?.items.value.length ? (["news"] as const) : [])]);
  /** What the composer starts with (`open({ message })`): the visitor still presses Send. */
  readonly draft = signal("");
  /** What the launcher counts: replies, and announcements not read yet where their tab shows. */
  readonly unreadTotal = computed(() => this.unread.value + (this.tabs.value.includes("news") ? this.newsUnread.value : 0));

  constructor(private readonly _cfg: ChatConfig) {
    this._keyOutbox = `parley:${_cfg.appId}:outbox`;
    this._readMark = new ReadMark(_cfg.storage, `parley:${_cfg.appId}:seen`);
    this.claim = clone(_cfg.claim ?? null);
    this._visitor = new Visitor(_cfg.storage, `parley:${_cfg.appId}:visitor`, claimedUser(this.claim));
    this.outbox = new Outbox(_cfg.storage, this._keyOutbox, (item) => this._deliver(item), Math.random, webLock(this._keyOutbox));
    this.outbox.forgetFailed(this._visitor.record.id);
    this._host = _cfg.refreshIdentity;
    this._poller = new Poller({
      read: (seconds, signal) => this._read(seconds, signal),
      wanted: () => this._running && !this._refused && !document.hidden && (this.isOpen.peek() || this.history.peek().length > 0),
      seconds: _cfg.pollSeconds ?? 25,
    });
    this._tabs = new Tabs(`parley:${_cfg.appId}`, _cfg.channel);
  }

  get visitorId() {
    return this._visitor.id;
  }

  get appId() {
    return this._cfg.appId;
  }

  /** The page's storage, as the chat uses it (memory when the page has none). */
  get storage(): KeyValue {
    return this._cfg.storage;
  }

  /** Starts network and page listeners; returns how to stop them. */
  start(): () => void {
    this._running = true;
    const kick = () => this.outbox.kick();
    addEventListener("online", kick);
    let counted = 0;
    const stops = [
      // The `unread` event, on every change of the count (sticky: a late listener hears the last).
      effect(() => {
        const count = this.unreadTotal.value;
        if (count !== counted) this.events.emit("unread", { count: (counted = count) }, true);
      }),
      this._poller.start(),
      // Another tab wrote to the shared outbox: show what it added, drop what it sent.
      this._tabs.start({
        person: (record, claim) => this._otherPerson(record, claim),
        // Only this visitor's: the site's other tabs may be someone else by now.
        heard: (messages, visitorId) => visitorId === this.visitorId.peek() && this._running && this._arrived(messages, true),
        storageKey: this._keyOutbox,
        stored: () => this._outboxChanged(),
      }),
      idle(() => this._loadNews()),
    ];
    void this._renewal();
    void this.outbox.flush();
    // No claim: the verdict is known without asking (a host's `identity` listener hears it at once).
    if (!this.claim) this._setVerdict({ status: "anonymous" });
    if (this.claim || this._visitor.record.active) this._refresh();
    // Suggestions or comments an earlier page left on their way (widget/ideas/board.ts's key): the
    // board's chunk is fetched only then, to deliver them.
    if (this._cfg.storage.get(`parley:${this._cfg.appId}:ideas-outbox`)) void import("../ideas/board.ts").then((m) => m.boardFor(this), () => {});
    this.events.emit("ready", undefined, true);
    return () => {
      this._running = false;
      removeEventListener("online", kick);
      for (const stop of stops) stop();
      this._stopRefresher?.();
      this._refresher = undefined;
      this.outbox.stop();
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
    this._keepVisitor();
    this.outbox.add({ clientId: randomId(), text: body, claim: this.claim, visitorId: this.visitorId.peek(), createdAt: new Date().toISOString() });
    return true;
  }

  /** Sends a message the server refused once more. */
  retry(clientId: string) {
    this.outbox.retry(clientId);
  }

  /** Gives up on a message the server refused. */
  discard(clientId: string) {
    this.outbox.remove(clientId);
  }

  identify(claim: Claim, refreshIdentity?: () => unknown) {
    if (refreshIdentity) this._host = refreshIdentity;
    // The same proof with a callback given only now: it is renewed in time from now on.
    if (sameClaim(claim, this.claim)) return this._schedule();
    if (this._visitor.claimedBy(claimedUser(claim))) this.outbox.forgetFailed(this._visitor.record.id);
    this._switch(clone(claim));
    this._tellTabs();
    this._refresh();
  }

  /** A fresh anonymous visitor. The last user's pending messages are still delivered, as that user. */
  logout() {
    this._visitor.renew();
    this.outbox.forgetFailed(this._visitor.record.id);
    this._switch(null);
    this._tellTabs();
    this._setVerdict({ status: "anonymous" });
  }

  open(options: OpenOptions = {}) {
    if (options.message !== undefined) this.draft.value = options.message;
    if (options.tab) {
      this.tab.value = options.tab;
      // Left out by the site owner (Ideas shows only when listed): the panel opens on its first tab.
      const shown = this._cfg.tabs ?? ["chat", "news"];
      if (!shown.includes(options.tab)) warn(`open: no "${options.tab}" tab here (tabs: ${shown.join(", ")})`);
    }
    if (!this._panel.open()) return;
    this._markSeen(false);
    if (this._visitor.record.active || this.claim) this._refresh();
    // Published since the page loaded? The panel shows what is new now.
    this._loadNews();
  }

  close() {
    this._panel.close();
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
    const res = await postJson<ConversationResponse>(
      this.url("conversation"),
      { visitorId: this.visitorId.peek(), identity: claim ?? undefined, after: this._timeline.lastId(), wait: wait || undefined },
      signal,
    );
    if (epoch !== this._epoch || !this._running) return OK;
    if (!res.data) {
      this._noteRefusal(res);
      return { ok: false, retryAfter: res.retryAfter };
    }
    if (Array.isArray(res.data.messages)) this._arrived(res.data.messages, this._live, !!wait);
    this._live = true;
    if (res.data.identity) this._applyVerdict(res.data.identity, claim, false);
    return OK;
  }

  /**
   * One read for the Poller: the push stream, or the long-poll where streams fail (live/listener.ts).
   * Both the stream and that choice are a lazy chunk: a long-poll when it cannot load.
   */
  private async _read(seconds: number, signal: AbortSignal) {
    const live = await import("../live/stream.ts").catch(() => undefined);
    if (!live) return this.sync(seconds, signal);
    const listener = (this._listener ??= new live.Listener({ stream: (signal) => this._stream(live.listen, signal), poll: (seconds, signal) => this.sync(seconds, signal) }));
    // One tab of the site listens at a time; the others hear it over the channel (tabs.ts).
    return live.lead(`parley:${this._cfg.appId}:listen`, signal, () => listener.read(seconds, signal));
  }

  /** Listens on the push stream until it ends. */
  private async _stream(listen: typeof Listen, signal: AbortSignal): Promise<StreamEnd> {
    const epoch = this._epoch;
    const claim = this.claim;
    const current = () => epoch === this._epoch && this._running;
    const end = await listen(this.url("stream"), { visitorId: this.visitorId.peek(), identity: claim ?? undefined, after: this._timeline.lastId() }, signal, {
      identity: (verdict) => current() && this._applyVerdict(verdict, claim, false),
      messages: (messages) => {
        if (!current()) return;
        this._arrived(messages, this._live, true);
        this._live = true;
      },
    });
    if (current() && end.status) this._noteRefusal({ status: end.status, error: end.error });
    return end;
  }

  private async _deliver(item: OutboxItem) {
    const claim = await this._claimFor(item);
    const res = await postJson<SendMessageResponse>(this.url("messages"), {
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
        if (this._visitor.markActive()) {
          // An anonymous visitor's first message: nothing was read before it, for there was nothing. What arrives from now on is new.
          if (!claim && !this.claim && !this._timeline.lastId()) this._live = true;
          this._tellTabs();
        }
        this._arrived([res.data.message], true);
        this._markSeen(true);
        void this._poller.ensure();
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
    this._poller.abort();
    if (this._refused) return;
    this._refused = true;
    const { appId, apiBase } = this._cfg;
    warn(code === "origin_not_allowed" ? `add this page's origin, ${location.origin}, to app ${appId}'s origins: nothing is sent until then` : `no app ${appId} at ${apiBase}: check the snippet's appId`);
  }

  /**
   * The visitor wrote something (a message, a read): stored from now on, so a reload is the same
   * visitor. The first time, the site's other tabs become this visitor too.
   */
  private _keepVisitor() {
    if (this._visitor.persist()) this._tellTabs();
  }

  /** Reads the announcements for the current claim, unless the site owner left their tab out. */
  private _loadNews() {
    if (!this._running || (this._cfg.tabs && !this._cfg.tabs.includes("news"))) return;
    const claim = this.claim;
    void this._newsChunk()
      .then((m) => {
        if (!this._running) return;
        const news = (this.news.value ??= new m.News({
          post: (path, body) => postJson(this.url(path), body),
          who: () => ({ visitorId: this.visitorId.peek(), identity: this.claim ?? undefined }),
          keep: () => this._keepVisitor(),
        }));
        return news.load();
      })
      // A verdict on no claim says nothing new; on a claim, it is as good as a read's.
      .then(
        (verdict) => verdict && claim && this._running && this._applyVerdict(verdict, claim, false),
        () => {},
      );
  }

  /**
   * The refresher, once the host has given a `refreshIdentity` and the chat runs: fetched then,
   * started as it arrives. Undefined without a host, or when its chunk cannot be fetched (then the
   * rejected path applies, as without a host).
   */
  private _renewal(): Promise<Refresher | undefined> | undefined {
    if (!this._host || !this._running) return undefined;
    const chunk: Promise<Refresher | undefined> = (this._refresher ??= import("./refresher.ts").then(
      (m) => {
        const refresher = new m.Refresher({ current: () => this.claim, owner: () => this._visitor.record.owner, use: (claim) => (this.claim = clone(claim)) }, () => this._host?.(), this._cfg.debug);
        // Only the refresher of this run of the chat starts (a stop and a start may come before the chunk).
        if (this._running && this._refresher === chunk) this._stopRefresher = refresher.start();
        return refresher;
      },
      () => (this._refresher = undefined),
    ));
    return chunk;
  }

  /** The refresher's timer, set anew for the claim in use now (none for no claim, or one that does not expire). */
  private _schedule() {
    void this._renewal()?.then((refresher) => refresher?.schedule());
  }

  /** Reads the conversation now (and the verdict on the current claim), then keeps listening. */
  private _refresh() {
    void this.sync().then(() => this._poller.ensure());
  }

  private _tellTabs() {
    this._tabs.tellPerson(this._visitor.record, this.claim);
  }

  /**
   * Another tab wrote the shared outbox. A message of ours it took out was sent from there: read
   * the thread, so it shows here as sent — whatever became of that tab's news.
   */
  private _outboxChanged() {
    const mine = (items: readonly OutboxItem[]) => items.filter((i) => this._isCurrent(i)).map((i) => i.clientId);
    const before = mine(this.outbox.items.peek());
    this.outbox.reload();
    const after = new Set(mine(this.outbox.items.peek()));
    if (before.some((id) => !after.has(id))) void this.sync();
  }

  /** Another tab's identify or logout: become the same visitor, with the same claim. */
  private _otherPerson(record: VisitorRecord, claim: Claim | null) {
    if (record.id === this._visitor.record.id && sameClaim(claim, this.claim)) {
      // The same visitor started a conversation in another tab: this one shows it and its replies.
      if (record.active && this._visitor.markActive()) this._refresh();
      return;
    }
    this._visitor.adopt(record);
    this.outbox.forgetFailed(record.id);
    this._switch(claim);
    if (this.claim) this._refresh();
    else {
      this._setVerdict({ status: "anonymous" });
      // The other tab's visitor has a conversation (it may be this tab's first sight of it).
      if (record.active) this._refresh();
    }
  }

  /** The proof a queued message goes with: its own, or a fresh one of the same person (Refresher.proofFor). */
  private async _claimFor(item: OutboxItem): Promise<Claim | null> {
    const refresher = this._isCurrent(item) ? await this._renewal() : undefined;
    return refresher ? refresher.proofFor(item.claim) : item.claim;
  }

  private _applyVerdict(verdict: IdentityVerdict, usedClaim: Claim | null, fromMessage: boolean) {
    // A verdict on a claim that is no longer current says nothing about the current one.
    if (!sameClaim(usedClaim, this.claim)) return;
    if (verdict.status === "rejected") {
      // Once per change, like the event: every request carries the claim, so a rejection repeats.
      const again = sameVerdict(this.verdict.peek(), verdict);
      if (this._cfg.debug && !again) warn(`identity rejected (${verdict.reason ?? "unknown"}); continuing as an anonymous visitor.${verdict.hint ? ` ${verdict.hint}` : ""}`);
      const next = afterRejection(verdict, !!this._host, fromMessage);
      if (next === "drop") this.claim = null;
      // Another read repeating the verdict in force asks the host nothing new; a message does.
      if (next === "renew" && (fromMessage || !again)) {
        void Promise.resolve(this._renewal())
          .then((refresher) => refresher?.renew())
          .then((renewed) => {
            if (renewed) this._refresh();
            else if (fromMessage && sameClaim(usedClaim, this.claim)) this.claim = null;
          });
      }
    }
    this._setVerdict(verdict);
  }

  private _setVerdict(v: IdentityVerdict) {
    const prev = this.verdict.peek();
    this.verdict.value = v;
    if (!sameVerdict(prev, v)) this.events.emit("identity", { ...v }, true);
  }

  /**
   * `live`: these arrived now (a reply, our own message stored), not history read at start or
   * sign-in. `tell`: heard by this tab's listening, so the site's other tabs (which wait while it
   * listens) hear them too.
   */
  private _arrived(messages: Message[], live: boolean, tell = false) {
    if (tell && messages.length) this._tabs.tellHeard(messages, this.visitorId.peek());
    const fromStart = !this._timeline.lastId();
    const fresh = this._timeline.add(messages);
    this._panel.arrived(fromStart ? this._readMark.unseen(fresh, this.visitorId.peek()) : fresh);
    this._markSeen(false);
    if (live) for (const m of fresh) this.events.emit("message", m);
  }

  private _switch(claim: Claim | null) {
    this.claim = claim;
    this._live = false;
    this._epoch++;
    this._poller.abort();
    this._timeline.clear();
    this.unread.value = 0;
    this._readMark.keepOnly(this.visitorId.peek());
    this._schedule();
    // Another person may read other announcements: the last one's go, and this one's are read.
    this.news.peek()?.reset();
    this._loadNews();
  }

  /** Everything in the thread is seen, here, by this visitor: the panel is open, or they just wrote. */
  private _markSeen(wrote: boolean) {
    const id = this._timeline.lastId();
    if (id && (wrote || this.isOpen.peek())) this._readMark.mark(this.visitorId.peek(), id);
  }

  /** Whether a message belongs on the screen now: written by the current visitor. */
  private _isCurrent(item: OutboxItem) {
    return item.visitorId === this._visitor.record.id;
  }

  /** This app's endpoint `path` (for the tabs' own requests). */
  url(path: string) {
    return `${this._cfg.apiBase}/v1/apps/${encodeURIComponent(this._cfg.appId)}/${path}`;
  }
}

const OK = { ok: true } as const;
const sameVerdict = (a: IdentityVerdict | null, b: IdentityVerdict) => !!a && a.status === b.status && a.userId === b.userId && a.reason === b.reason;
/** A snapshot: the host mutating its object later must not change what a queued message carries. */
const clone = <T>(value: T): T => (value == null ? value : JSON.parse(JSON.stringify(value)));

