// Puts the widget in an open shadow root on the host page; returns how to take it out again.
import { render } from "preact";
import type { Chat } from "../core/chat.ts";
import type { Appearance } from "../core/options.ts";
import { App } from "./App.tsx";
import { stringsFor } from "./strings.ts";
import { accentCss, css } from "./styles.ts";

export function mount(chat: Chat, look: Appearance): () => void {
  const host = document.createElement("div");
  host.setAttribute("data-parley", "");
  const shadow = host.attachShadow({ mode: "open" });
  // A constructable stylesheet needs no 'unsafe-inline' under a strict CSP, and every browser
  // Parley supports has them (Chrome 73, Firefox 101, Safari 16.4), so there is no <style> fallback.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css + (look.accentColor ? accentCss(look.accentColor) : ""));
  shadow.adoptedStyleSheets = [sheet];
  document.body.append(host);
  render(<App chat={chat} look={look} t={stringsFor(look.locale)} />, shadow);
  return () => {
    render(null, shadow);
    host.remove();
  };
}
