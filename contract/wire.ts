// The wire and command contract shared by the loader, the widget and the server (the operator
// API's own shapes are in operator.ts).
// Types only, plus two constant lists: importing this costs a bundle almost nothing,
// and nothing here may reach into the browser or the server.

/** Proof 1: `userHash = hex(HMAC-SHA256(secret, userId))`. Only `userId` is verified. */
export interface HashClaim {
  userId: string;
  userHash?: string;
  email?: string;
  name?: string;
}
/** Proof 2: `payload` is the exact JSON text signed; `signature = hex(HMAC-SHA256(secret, payload))`. */
export interface PayloadClaim {
  payload: string;
  signature: string;
}
/** Proof 3: an HMAC token `b64url(json).b64url(mac)` or an HS256 JWT. */
export interface TokenClaim {
  token: string;
}
/** A claim exactly as the host gave it; the server alone decides what it is worth. */
export type Claim = HashClaim | PayloadClaim | TokenClaim;

export type IdentityStatus = "verified" | "unverified" | "anonymous" | "rejected";

/** Why a claim was rejected. Machine-readable; never shown to the visitor. */
export const REJECT_REASONS = [
  "bad_signature",
  "expired",
  "not_yet_valid",
  "lifetime_too_long",
  "wrong_app",
  "bad_algorithm",
  "malformed",
  "missing_proof",
  "revoked_key",
  "no_keys",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The server's verdict on the claim of one request, as every response carries it. */
export interface IdentityVerdict {
  status: IdentityStatus;
  userId?: string;
  name?: string;
  reason?: RejectReason;
  /** For the site's developer (the identity event, the debug console), never the visitor: the likeliest cause of a rejection. */
  hint?: string;
}

export interface Author {
  /** `note`: written by Parley for the operator ("merged from anonymous visitor …"); never sent to a visitor. */
  type: "visitor" | "operator" | "note";
  visitorId?: string;
  userId?: string;
  verified?: boolean;
  name?: string;
  /** The user id a rejected claim named: unproven, never the contact's (operator's view). */
  claimedUserId?: string;
}

export interface Message {
  id: string;
  clientId: string | null;
  text: string;
  createdAt: string;
  author: Author;
  /** The verdict on the claim this message arrived with (visitor messages only). */
  identity?: { status: IdentityStatus; reason?: RejectReason };
}

export interface SendMessageRequest {
  visitorId: string;
  clientId: string;
  text: string;
  identity?: Claim | null;
}
export interface SendMessageResponse {
  message: Message;
  identity: IdentityVerdict;
}

export interface ConversationRequest {
  visitorId: string;
  identity?: Claim | null;
  /** Only messages created after this message id. */
  after?: string;
  /** Long-poll: hold the request up to this many seconds until a newer message exists. */
  wait?: number;
}
export interface ConversationResponse {
  messages: Message[];
  identity: IdentityVerdict;
}

/**
 * `POST /v1/apps/:appId/stream` (body: a ConversationRequest without `wait`): server-sent events,
 * by name. `identity` first; `messages` whenever some are stored, with the last one's id as the
 * event id (the cursor to re-open with); `end` when the stream closes on purpose — re-open after
 * `retryAfter` seconds (0: at once, with the claim as it is then). Comment lines keep it alive.
 */
export interface StreamEvents {
  identity: IdentityVerdict;
  messages: { messages: Message[] };
  end: { retryAfter: number };
}

/**
 * Verified attributes a contact's latest verified claim carried: every field of a signed payload
 * but `id`, every claim of a token but the registered ones. Values as signed (JSON).
 */
export type Attributes = Record<string, unknown>;

/** Who sees an announcement: every key must match, any listed value matches. None: everyone. */
export type Audience = Record<string, string[]>;

/** An announcement as a visitor's widget gets it. `body` is text: paragraphs and bare links, never HTML. */
export interface Announcement {
  id: string;
  title: string;
  body: string;
  publishedAt: string;
  /** Read by this verified user (on any device), else by this visitor. */
  read: boolean;
}
export interface AnnouncementsRequest {
  visitorId: string;
  identity?: Claim | null;
}
export interface AnnouncementsResponse {
  announcements: Announcement[];
  identity: IdentityVerdict;
}

/** An idea's life, set by the operator. */
export const IDEA_STATUSES = ["open", "planned", "in_progress", "done", "declined"] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];
export const MAX_IDEA_TITLE = 120;

/** An idea as a visitor's widget gets it: `voted` is this verified user's own vote. */
export interface Idea {
  id: string;
  title: string;
  body: string;
  status: IdeaStatus;
  votes: number;
  voted: boolean;
  /** How many comments it has. */
  comments: number;
  createdAt: string;
  author: { name?: string };
}
export interface IdeaComment {
  id: string;
  clientId?: string | null;
  text: string;
  createdAt: string;
  author: { type: "visitor" | "operator"; name?: string };
}
export interface IdeasRequest {
  visitorId: string;
  identity?: Claim | null;
  sort?: "top" | "new";
}
export interface IdeasResponse {
  ideas: Idea[];
  identity: IdentityVerdict;
}
export interface SuggestIdeaRequest {
  visitorId: string;
  clientId: string;
  title: string;
  body?: string;
  identity?: Claim | null;
}
export interface VoteRequest {
  visitorId: string;
  identity?: Claim | null;
  up: boolean;
}
export interface IdeaResponse {
  idea: Idea;
  identity: IdentityVerdict;
}
export interface CommentRequest {
  visitorId: string;
  clientId: string;
  text: string;
  identity?: Claim | null;
}
export interface CommentResponse {
  comment: IdeaComment;
  identity: IdentityVerdict;
}
export interface IdeaThreadResponse {
  idea: Idea;
  comments: IdeaComment[];
  identity: IdentityVerdict;
}

/** The widget's tabs, in the order they show. */
export const TABS = ["chat", "news", "ideas"] as const;
export type TabName = (typeof TABS)[number];

export interface ApiError {
  error: { code: string; message: string };
}
/** A suggestion, vote or comment by anyone but a verified user: 403 `verification_required`, with the verdict that fell short. */
export interface VerificationRequired extends ApiError {
  identity: IdentityVerdict;
}

/** Limits both sides agree on, so the widget refuses what the server would. */
export const MAX_TEXT_LENGTH = 4000;

/** Every command of `Parley(command, ...args)`. The dispatcher's table is typed by this list. */
export const COMMANDS = ["init", "identify", "logout", "open", "close", "toggle", "on", "off"] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Every event of `Parley('on', event, fn)`; the emitter and the dispatcher check names against it. */
export const EVENTS = ["ready", "identity", "message", "open", "close", "unread"] as const;
export type EventName = (typeof EVENTS)[number];

/** What a handler of each event receives: `Parley('on', event, (payload) => …)`. */
export interface EventPayloads {
  /** Once, when the widget has started (replayed to a later listener). */
  ready: undefined;
  /** The server's verdict on the current claim, on every change (replayed to a later listener). */
  identity: IdentityVerdict;
  /** Once per new message: a reply, or the visitor's own once stored; never history. */
  message: Message;
  open: undefined;
  close: undefined;
  /** Unread replies and announcements, on every change (replayed to a later listener). */
  unread: { count: number };
}
export type EventHandler<E extends EventName> = (payload: EventPayloads[E]) => void;

/** `Parley('open', options)`: a draft in the composer (never sent without the visitor), or a tab. */
export interface OpenOptions {
  message?: string;
  tab?: TabName;
}

/** `Parley('identify', identity, options)`. */
export interface IdentifyOptions {
  refreshIdentity?: InitOptions["refreshIdentity"];
}

/** What each command takes after its name; `on` and `off` take an event and a handler of that event's payload. */
export interface CommandArgs<E extends EventName = EventName> {
  init: [options: InitOptions];
  identify: [identity: Claim, options?: IdentifyOptions];
  logout: [];
  open: [options?: OpenOptions];
  close: [];
  toggle: [];
  on: [event: E, handler: EventHandler<E>];
  off: [event: E, handler: EventHandler<E>];
}

/** `Parley(command, ...args)` as a host calls it (typed `window.Parley`: the `parley/global` declaration). */
export interface ParleyCommand {
  // Apart, so that the event names the handler's payload type.
  <E extends EventName>(command: "on" | "off", ...args: CommandArgs<E>["on" | "off"]): void;
  <C extends Exclude<CommandName, "on" | "off">>(command: C, ...args: CommandArgs[C]): void;
}

// Both lists and both tables agree: a command or an event added to one and not the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type ContractIsComplete = Holds<Same<keyof CommandArgs, CommandName>> | Holds<Same<keyof EventPayloads, EventName>>;

/** What `Parley('init', …)` and `window.ParleySettings` accept. */
export interface InitOptions {
  appId?: string;
  apiBase?: string;
  identity?: Claim | null;
  debug?: boolean;
  open?: boolean;
  /** How the widget looks; see `Appearance`. */
  accentColor?: string;
  position?: "left" | "right";
  launcherLabel?: string;
  theme?: "light" | "dark" | "auto";
  /** A language tag ("fr", "en-GB"); the page's `lang` when unset. */
  locale?: string;
  /** Which tabs the panel offers, in order; default: chat, and each other tab the app has content for. */
  tabs?: TabName[];
  /** `false`: no launcher of ours; the site opens the panel from its own button (`Parley('open')`). */
  launcher?: boolean;
  /**
   * Asked for a fresh proof of the same user shortly before a token expires, and when the server
   * says the proof expired or its key was revoked (Zendesk's `loginUser(callback)` habit). Time-boxed.
   */
  refreshIdentity?: () => Claim | Promise<Claim>;
}

/** `window.ParleySettings`: the init options plus the flat identity fields of the snippet. */
export interface ParleySettings extends InitOptions {
  userId?: string;
  userHash?: string;
  userEmail?: string;
  userName?: string;
}

/** What the loader hands the widget through `window.Parley` (the queueing function). */
export interface ParleyQueue {
  (...args: unknown[]): void;
  /** Calls queued before the widget ran, in order. */
  q?: ArrayLike<unknown>[];
  /** The loader's own configuration, read from its `<script>` tag. */
  c?: LoaderConfig;
}
export interface LoaderConfig {
  appId?: string;
  apiBase?: string;
  /** Where the loader came from: the widget bundle and the default API live there. */
  base: string;
  nonce?: string;
}
