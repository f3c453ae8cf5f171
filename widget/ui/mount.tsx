// Puts the widget in an open shadow root on the host page; returns how to take it out again.
import { render } from "preact";
import type { Chat } from "../core/chat.ts";
import type { Appearance } from "../core/options.ts";
import { App } from "./App.tsx";
import { stringsFor } from "./strings.ts";
import { accentCss, css } from "./styles.ts";

export function mount(chat: Chat, look: Appearance, nonce?: string): () => void {
  const host = document.createElement("div");
  host.setAttribute("data-parley", "");
  const shadow = host.attachShadow({ mode: "open" });
  const rules = css + (look.accentColor ? accentCss(look.accentColor) : "");
  // A constructable stylesheet needs no 'unsafe-inline' under a strict CSP; the nonce'd <style>
  // is only for browsers without adoptedStyleSheets.
  if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(rules);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement("style");
    if (nonce) style.nonce = nonce;
    style.textContent = rules;
    shadow.append(style);
  }
  document.body.append(host);
  render(<App chat={chat} look={look} t={stringsFor(look.locale)} />, shadow);
  return () => {
    render(null, shadow);
    host.remove();
  };
}
