// How people and verdicts are named everywhere in the console: one wording, one badge.
import type { IdentityStatus, Message } from "../../contract/wire.ts";

type ContactLike = { userId: string | null; visitorId: string | null; verified: boolean; name?: string };

export function contactName(contact: ContactLike): string {
  if (contact.userId) return contact.name ? `${contact.name} (${contact.userId})` : contact.userId;
  return `Visitor ${(contact.visitorId ?? "").replace(/^v_/, "").slice(0, 6)}`.trim();
}

const STATUS_LABEL: Record<IdentityStatus, string> = { verified: "Verified", unverified: "Unverified", anonymous: "Anonymous", rejected: "Rejected" };

/** Who a conversation is with, as proven: verified, a user id without proof, or nobody known. */
export function ContactBadge({ contact }: { contact: ContactLike }) {
  const status: IdentityStatus = contact.verified ? "verified" : contact.userId ? "unverified" : "anonymous";
  return <span class={`badge ${status}`}>{STATUS_LABEL[status]}</span>;
}

/** The verdict a visitor's message was judged with when it arrived; a rejection's reason with it. */
export function VerdictBadge({ identity }: { identity: Message["identity"] }) {
  const status = identity?.status ?? "anonymous";
  return (
    <span class={`badge ${status}`}>
      {STATUS_LABEL[status]}
      {identity?.reason ? `: ${identity.reason}` : ""}
    </span>
  );
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** A time today, else a date: what a list needs. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  return sameDay(d, new Date()) ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString([], { month: "short", day: "numeric" });
}

export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}
