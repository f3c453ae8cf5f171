// The panel's strings (see strings.ts for the launcher's, and how a locale is picked).
import { launcherStrings } from "./strings.ts";

const en = {
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
  /** The tab list's name, for screen readers. */
  sections: "Sections",
  tabs: { chat: "Chat", news: "What's new", ideas: "Ideas" },
  /** Read after a tab's name: `{n}` unread things in it. */
  tabUnread: ", {n} new",
  newsEmpty: "Nothing new yet.",
  newBadge: "New",
  couldNotLoad: "This could not be loaded. Check your connection and try again.",
};

const TABLES: Record<string, typeof en> = {
  en,
  fr: {
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
    sections: "Sections",
    tabs: { chat: "Discussion", news: "Nouveautés", ideas: "Idées" },
    tabUnread: ", {n} nouveau(x)",
    newsEmpty: "Rien de neuf pour l'instant.",
    newBadge: "Nouveau",
    couldNotLoad: "Impossible de charger ceci. Vérifiez votre connexion et réessayez.",
  },
};

export type Strings = typeof en & ReturnType<typeof launcherStrings> & { lang: string };

/** All of a language's strings; `lang` comes from strings.ts's langOf. */
export const stringsFor = (lang: string): Strings => ({ ...launcherStrings(lang), ...(TABLES[lang] ?? en), lang });
