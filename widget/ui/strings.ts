// Every visitor-facing string, one table per locale, in two halves: the launcher's (here, in the
// first chunk) and the panel's (panel-strings.ts, with the panel). A locale is picked by the
// `locale` setting, else the page's `lang`, by its language part ("fr-CA" → fr); English when
// there is no table.
const en = {
  openChat: "Open chat",
  /** `{label}`: the launcher's name (the site's launcherLabel, else openChat); `{n}`: how many replies and announcements wait. */
  openChatUnread: "{label}, {n} new",
  closeChat: "Close chat",
};
export type LauncherStrings = typeof en;

const TABLES: Record<string, LauncherStrings> = {
  en,
  fr: { openChat: "Ouvrir le chat", openChatUnread: "{label}, {n} nouveau(x)", closeChat: "Fermer le chat" },
};

/** The language whose tables apply: one of ours, else English. */
export function langOf(locale: string | undefined): string {
  const lang = (locale || document.documentElement.lang || "en").toLowerCase().split("-")[0]!;
  return TABLES[lang] ? lang : "en";
}

export const launcherStrings = (lang: string): LauncherStrings => TABLES[lang]!;
