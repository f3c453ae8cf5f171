// The operator API's contract: what `/v1/admin/apps…` answers (and `/console/api/apps…`, the same
// routes under the console's session cookie). The server's routes type their answers with these,
// and the console and the CLI read them with these: one definition of each shape, never restated.
// Types only, plus two constant lists; nothing here may reach into the browser or the server.
import type { KeyKind } from "./claim.ts";
import type { Announcement, Attributes, Audience, Idea, IdeaComment, IdentityStatus, Message, RejectReason } from "./wire.ts";

/** Whether an app requires a proof with a user id (`required`), or takes a bare id as unverified (`optional`). */
export const MODES = ["required", "optional"] as const;
export type Mode = (typeof MODES)[number];

// Apps and keys

export interface App {
  id: string;
  name: string;
  mode: Mode;
  origins: string[];
  /** Whether rejected verdicts carry the doctor's hint (for the site's developer while integrating). */
  hints: boolean;
}
/** `GET /v1/admin/apps` */
export interface AppsResponse {
  apps: App[];
}
/** `POST /v1/admin/apps` (201), `PATCH /v1/admin/apps/:appId` */
export interface AppResponse {
  app: App;
}

/** A key as listed: never its secret. */
export interface KeyInfo {
  keyId: string;
  proof: KeyKind;
  createdAt: string;
  revokedAt: string | null;
}
/** `POST …/keys` (201): the secret, this once. */
export interface NewKey {
  keyId: string;
  proof: KeyKind;
  secret: string;
}
/** `GET …/keys` */
export interface KeysResponse {
  keys: KeyInfo[];
}
/** `DELETE …/keys/:keyId` */
export interface KeyRevoked {
  keyId: string;
  revoked: true;
}

/** `POST …/doctor`: why a proof passes or fails, as `parley doctor` prints it. */
export interface DoctorResponse {
  ok: boolean;
  status: IdentityStatus;
  reason?: RejectReason;
  userId?: string;
  keyId?: string;
  cause: string;
  advice?: string;
}

// The inbox

/** Open until the operator closes it; a visitor writing again reopens it. */
export const CONVERSATION_STATUSES = ["open", "closed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Who a conversation is with, as the inbox lists it. */
export interface ConversationContact {
  userId: string | null;
  visitorId: string | null;
  verified: boolean;
  name?: string;
  email?: string;
  /** Whether name and email come from the proof itself; a user hash's hints never do. */
  detailsVerified: boolean;
}

/** A conversation as the inbox lists it. */
export interface InboxConversation {
  id: string;
  contact: ConversationContact;
  lastMessageAt: string;
  status: ConversationStatus;
  /** A visitor wrote after what the operator has read. */
  unread: boolean;
  /** The newest message a visitor or an operator wrote (never a note), for the list. */
  preview?: { text: string; from: "visitor" | "operator" };
}
/** `GET …/conversations[?wait=S&since=CURSOR]` */
export interface ConversationsResponse {
  conversations: InboxConversation[];
  /** Hand back as `since` to wait for what changes after this answer; null while there is no conversation. */
  cursor: string | null;
}
/** `PATCH …/conversations/:id` */
export interface ConversationChanged {
  conversation: InboxConversation;
}
/** `GET …/conversations/:id/messages[?after=MESSAGE_ID]`: notes included. */
export interface MessagesResponse {
  messages: Message[];
}
/** `POST …/conversations/:id/replies` (201) */
export interface ReplyResponse {
  message: Message;
}

/** A verified user as the operator sees them: what their latest verified claim proved, apart from hints. */
export interface Contact {
  userId: string;
  /** Verified: what the latest verified claim proved (a user hash proves none). */
  attributes: Attributes;
  /** Unverified: a user hash's name and email, as the page gave them. Never used to decide anything. */
  hints: { name?: string; email?: string };
  /** When the latest verified claim arrived: when `attributes` were proven. */
  lastVerifiedAt: string;
}
/** `GET …/contacts/:userId` */
export interface ContactResponse {
  contact: Contact;
}

// What's new

/** An announcement as the operator sees it: for whom, and how many people have read it. */
export type OperatorAnnouncement = Omit<Announcement, "read"> & { audience: Audience | null; reads: number };
/** `GET …/announcements` */
export interface OperatorAnnouncementsResponse {
  announcements: OperatorAnnouncement[];
}
/** `POST …/announcements` (201) */
export interface AnnouncementCreated {
  announcement: OperatorAnnouncement;
}

/** An attribute name seen on verified contacts, with the values an audience could pick. */
export interface SeenAttribute {
  name: string;
  /** The most common values first, with how many contacts have each. */
  values: { value: string; contacts: number }[];
  /** More values were seen than listed. */
  more?: true;
}
/** `GET …/attributes` */
export interface AttributesResponse {
  /** How many verified contacts the app has. */
  contacts: number;
  attributes: SeenAttribute[];
}
/** `GET …/reach[?audience=JSON]`: how many of the app's `of` verified contacts an audience reaches now. */
export interface ReachResponse {
  contacts: number;
  of: number;
}

// Feedback

/** A verified voter, as the operator sees them: who, and the verified attributes of their latest proof. */
export interface IdeaVoter {
  userId: string;
  attributes: Attributes;
}
/** An idea as the operator API lists it: who suggested it, and who voted for it. */
export interface OperatorIdea extends Omit<Idea, "voted" | "author"> {
  author: { type: "visitor"; userId: string; name?: string } | { type: "operator"; name?: string };
  voters: IdeaVoter[];
}
/** `GET …/ideas` */
export interface OperatorIdeasResponse {
  ideas: OperatorIdea[];
}
/** `POST …/ideas` (201), `PATCH …/ideas/:ideaId` */
export interface OperatorIdeaResponse {
  idea: OperatorIdea;
}
/** `POST …/ideas/:ideaId/comments` (201): the team's answer in the idea's thread. */
export interface OperatorCommentResponse {
  comment: IdeaComment;
}

/** `DELETE …/announcements/:id`, `DELETE …/ideas/:ideaId` */
export interface Deleted {
  id: string;
  deleted: true;
}

// The console's own session (`/console/api/session`), in front of the routes above

/** `POST` (the cookie set), `GET` (a live session), `DELETE` (the cookie cleared). */
export interface ConsoleSession {
  signedIn: boolean;
}

/**
 * `GET /v1/admin/apps/:appId/events` (the console: `/console/api/apps/:appId/events`): server-sent
 * events, by name, each with `{}` as data — read what changed. `ready` first; `end` when the
 * server closes the stream (EventSource re-opens after the `retry` it sets).
 */
export interface AdminEvents {
  inbox: Record<string, never>;
  feedback: Record<string, never>;
}
