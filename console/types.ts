// What the operator API answers, as the console reads it. The wire types shared with the widget
// and the server come from contract/wire.ts; these are the operator API's own shapes.
import type { KeyKind } from "../contract/claim.ts";
import type { Attributes, Audience } from "../contract/wire.ts";

export type { Message, Author, Audience, Attributes, IdentityStatus, IdeaStatus, OperatorIdea } from "../contract/wire.ts";
export type { KeyKind } from "../contract/claim.ts";

export interface App {
  id: string;
  name: string;
  mode: "required" | "optional";
  origins: string[];
  hints: boolean;
}

export interface KeyInfo {
  keyId: string;
  proof: KeyKind;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewKey {
  keyId: string;
  proof: KeyKind;
  secret: string;
}

export type ConversationStatus = "open" | "closed";

export interface ConversationSummary {
  id: string;
  contact: { userId: string | null; visitorId: string | null; verified: boolean; name?: string; email?: string; detailsVerified?: boolean };
  lastMessageAt: string;
  status: ConversationStatus;
  unread: boolean;
  /** The newest message a visitor or operator wrote, for the list. */
  preview?: { text: string; from: "visitor" | "operator" };
}

export interface ConversationsPage {
  conversations: ConversationSummary[];
  /** Hand back as `since` to wait for what changes after this answer; null while there is no conversation. */
  cursor: string | null;
}

export interface Contact {
  userId: string;
  attributes: Attributes;
  hints: { name?: string; email?: string };
  lastVerifiedAt: string;
}

export interface OperatorAnnouncement {
  id: string;
  title: string;
  body: string;
  publishedAt: string;
  audience: Audience | null;
  reads: number;
  /** How many verified contacts the audience matches now. */
  reach?: number;
}

/** Attribute names seen on verified contacts, each with its values and how many contacts have each. */
export interface AttributeValues {
  attributes: { name: string; values: { value: string; contacts: number }[] }[];
  contacts: number;
}
