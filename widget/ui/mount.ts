// The first paint: the launcher, drawn with the DOM alone in an open shadow root, so nothing of
// Preact is fetched or run until the visitor opens the panel (or the browser is idle after
// `load`). The panel is a lazy chunk (panel.tsx) rendered into the same shadow root.
import { effect } from "@preact/signals-core";
import type { Chat } from "../core/chat.ts";
import { idle } from "../core/idle.ts";
import { once } from "../core/lazy.ts";
import { warn } from "../core/log.ts";
import type { Appearance } from "../core/options.ts";
import { langOf, launcherStrings } from "./strings.ts";
import { accentCss, css } from "./styles.ts";

const SVG = "http://www.w3.org/2000/svg";
const CHAT_ICON = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z";
const CLOSE_ICON = "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z";

/** The panel chunk, fetched once; a failed fetch is forgotten, so the next open tries again. */
export const loadPanel = once(() => import("./panel.tsx"));

export function mount(chat: Chat, look: Appearance): () => void {
  const lang = langOf(look.locale);
  const t = launcherStrings(lang);
  const host = el("div");
  host.setAttribute("data-parley", "");
  const shadow = host.attachShadow({ mode: "open" });
  // A constructable stylesheet needs no 'unsafe-inline' under a strict CSP, and every browser
  // Parley supports has them (Chrome 73, Firefox 101, Safari 16.4), so there is no <style> fallback.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css + (look.accentColor ? accentCss(look.accentColor) : ""));
  shadow.adoptedStyleSheets = [sheet];

  const ownLauncher = look.launcher !== false;
  const root = el("div", `root ${look.theme} ${look.position}${ownLauncher ? "" : " nolauncher"}`);
  const slot = el("div");
  const launcher = el("button", "launcher");
  launcher.type = "button";
  const icon = document.createElementNS(SVG, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  const path = icon.appendChild(document.createElementNS(SVG, "path"));
  const label = el("span");
  label.setAttribute("aria-hidden", "true");
  label.textContent = look.launcherLabel ?? "";
  const count = el("span", "count");
  count.setAttribute("aria-hidden", "true");
  launcher.append(icon);
  launcher.onclick = () => chat.toggle();
  // Without our launcher the site opens the panel from its own button: focus goes back there.
  root.append(slot, ...(ownLauncher ? [launcher] : []));
  let returnTo: HTMLElement | null = null;
  shadow.append(root);
  document.body.append(host);

  let unmountPanel: (() => void) | undefined;
  let stopped = false;
  const onClose = () => {
    const back = ownLauncher ? launcher : returnTo;
    chat.close();
    back?.focus();
  };
  const showPanel = () =>
    loadPanel().then(
      (panel) => {
        if (stopped || unmountPanel) return;
        shadow.adoptedStyleSheets = [sheet, panel.sheet()];
        unmountPanel = panel.mountPanel(chat, lang, slot, onClose);
      },
      (err) => {
        // The click is not lost: the panel shows closed again, and the next open fetches again.
        warn("could not load the chat panel:", err);
        chat.close();
      },
    );

  const stopView = effect(() => {
    const open = chat.isOpen.value;
    const unread = chat.unreadTotal.value;
    launcher.setAttribute("aria-expanded", String(open));
    const name = look.launcherLabel ?? t.openChat;
    launcher.setAttribute("aria-label", open ? t.closeChat : unread ? t.openChatUnread.replace("{label}", name).replace("{n}", String(unread)) : name);
    path.setAttribute("d", open ? CLOSE_ICON : CHAT_ICON);
    count.textContent = String(unread);
    // Only what shows is in the button, so its text is what a visitor sees.
    launcher.replaceChildren(icon, ...(open ? [] : [...(look.launcherLabel ? [label] : []), ...(unread > 0 ? [count] : [])]));
    if (open && !ownLauncher && !returnTo) returnTo = document.activeElement as HTMLElement | null;
    if (!open) returnTo = null;
    if (open && !unmountPanel) void showPanel();
  });
  // Fetched when the browser has nothing better to do after the host's `load`, so the first open
  // is instant; a page that never opens the panel pays for it only when idle.
  const stopPrefetch = idle(() => void loadPanel().catch(() => {}));

  return () => {
    stopped = true;
    stopView();
    stopPrefetch();
    unmountPanel?.();
    host.remove();
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}
