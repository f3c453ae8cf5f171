// Every visitor-facing string, one table per locale. A locale is picked by the `locale` setting,
// else the page's `lang`, by its language part ("fr-CA" → fr); English when there is no table.
const en = {
  openChat: "Open chat",
  /** `{n}`: how many replies arrived while the panel was closed. */
  openChatUnread: "Open chat, {n} new",
  closeChat: "Close chat",
  title: "Chat with us",
  subtitle: "We usually reply within a few minutes.",
  signedInAs: "Signed in as",
  empty: "Ask us anything. We read every message.",
  message: "Message",
  placeholder: "Write a message…",
  send: "Send",
  sending: "Sending…",
  notSent: "Not sent.",
  retry: "Retry",
  remove: "Remove",
  support: "Support",
};
export type Strings = typeof en;

const fr: Strings = {
  openChat: "Ouvrir le chat",
  openChatUnread: "Ouvrir le chat, {n} nouveau(x)",
  closeChat: "Fermer le chat",
  title: "Discutons",
  subtitle: "Nous répondons en général en quelques minutes.",
  signedInAs: "Connecté en tant que",
  empty: "Posez-nous vos questions. Nous lisons chaque message.",
  message: "Message",
  placeholder: "Écrivez un message…",
  send: "Envoyer",
  sending: "Envoi…",
  notSent: "Non envoyé.",
  retry: "Réessayer",
  remove: "Supprimer",
  support: "Support",
};

const TABLES: Record<string, Strings> = { en, fr };

export function stringsFor(locale: string | undefined): Strings {
  const lang = (locale || document.documentElement.lang || "en").toLowerCase().split("-")[0]!;
  return TABLES[lang] ?? en;
}
