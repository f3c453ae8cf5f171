// The What's new tab, a lazy chunk: the announcements this visitor may read, newest first as the
// server sends them. Bodies are text — paragraphs, and http(s) links made clickable — never HTML.
// What the visitor sees here is marked read (for a verified user, on every device).
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Strings } from "../ui/panel-strings.ts";
import { useSignal } from "../ui/use-signal.ts";
import type { Chat } from "../core/chat.ts";
import type { News } from "./news.ts";

export function NewsTab({ chat, t }: { chat: Chat; t: Strings }) {
  // The announcements' own chunk (news.ts) is fetched at idle or on open: nothing to show until then.
  const news = useSignal(chat.news);
  return news ? <Articles news={news} t={t} /> : null;
}

function Articles({ news, t }: { news: News; t: Strings }) {
  const items = useSignal(news.items);
  // What was unread when the tab opened keeps its "New" mark while the visitor is here.
  const [fresh] = useState(() => new Set(items.filter((a) => !a.read).map((a) => a.id)));
  useEffect(() => {
    for (const a of items) if (!a.read) fresh.add(a.id);
    news.read(items.filter((a) => !a.read).map((a) => a.id));
  }, [items]);
  if (!items.length) return <p class="empty">{t.newsEmpty}</p>;
  return (
    <div class="news">
      {items.map((a) => (
        <article key={a.id}>
          <h3>{a.title}</h3>
          <p class="meta">
            {fresh.has(a.id) && <span class="new">{t.newBadge}</span>}
            <time dateTime={a.publishedAt}>{day(a.publishedAt)}</time>
          </p>
          {paragraphs(a.body).map((p, i) => (
            <p key={i}>{linkify(p)}</p>
          ))}
        </article>
      ))}
    </div>
  );
}

/** Paragraphs are separated by a blank line; a single line break stays one (CSS pre-line). */
export const paragraphs = (body: string): string[] =>
  body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** Text, with each http(s) URL a link that opens apart from the host page. Nothing else becomes markup. */
export function linkify(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    // A sentence's closing punctuation is not part of the link it ends with.
    const url = m[0].replace(/[.,;:!?)\]]+$/, "");
    out.push(text.slice(last, m.index));
    out.push(
      <a href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </a>,
    );
    last = m.index + url.length;
  }
  out.push(text.slice(last));
  return out.filter((part) => part !== "");
}

const day = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleDateString(document.documentElement.lang || undefined, { year: "numeric", month: "short", day: "numeric" });
};
