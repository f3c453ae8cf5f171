// The floor: the least a chat widget can be on Parley's own stack, to measure Parley against.
// Preact and @preact/signals-core; a launcher, and when it is open a panel whose textarea takes
// focus; in an open shadow root with a constructable stylesheet, as Parley's widget is. Nothing
// else: no storage, no network, no strings. bench/floor/build.js builds it with Parley's settings.
import { effect, signal } from "@preact/signals-core";
import { render } from "preact";

const css =
  ":host{all:initial}" +
  ".launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border:0;border-radius:50%;background:#3451d1;color:#fff;cursor:pointer}" +
  ".launcher svg{width:28px;height:28px;fill:currentColor}" +
  ".panel{position:fixed;right:20px;bottom:88px;width:360px;height:480px;display:flex;flex-direction:column;justify-content:flex-end;background:#fff;border-radius:12px;box-shadow:0 8px 32px #0003}" +
  "textarea{margin:12px;font:16px system-ui}";

const open = signal(false);

function Widget({ isOpen }) {
  return (
    <>
      {isOpen && (
        <div class="panel" role="dialog" aria-label="Chat">
          {/* Focus in the commit, the earliest moment the textarea exists. */}
          <textarea aria-label="Message" ref={(el) => el?.focus()} />
        </div>
      )}
      <button class="launcher" type="button" aria-label={isOpen ? "Close chat" : "Open chat"} aria-expanded={isOpen} onClick={() => (open.value = !open.value)}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z" />
        </svg>
      </button>
    </>
  );
}

const host = document.createElement("div");
host.setAttribute("data-floor", "");
const shadow = host.attachShadow({ mode: "open" });
const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
shadow.adoptedStyleSheets = [sheet];
document.body.append(host);
effect(() => render(<Widget isOpen={open.value} />, shadow));
