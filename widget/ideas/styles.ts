// The Ideas tab's stylesheet: adopted into the widget's shadow root when the tab first shows.
export const ideasCss = `
.ideas{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}
.suggest{display:flex;flex-direction:column;gap:6px;padding:0;border:0}
.suggest input{border:1px solid var(--line);border-radius:10px;padding:8px 10px;background:var(--bg)}
.suggest button{align-self:flex-end;padding:8px 14px}
.sort{display:flex;gap:6px}
.sort button{background:none;border:1px solid var(--line);border-radius:14px;padding:2px 10px;cursor:pointer}
.sort button[aria-pressed=true]{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
.board,.comments{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:8px}
.board li{display:flex;gap:10px;align-items:flex-start;border:1px solid var(--line);border-radius:10px;padding:8px}
.board .title{background:none;border:0;padding:0;text-align:left;font-weight:600;cursor:pointer}
.vote{display:flex;flex-direction:column;align-items:center;min-width:44px;border:1px solid var(--line);border-radius:8px;background:var(--bg);cursor:pointer;padding:4px;font-weight:600}
.vote[aria-pressed=true]{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
.status{border-radius:6px;padding:0 6px;background:var(--them)}
.note{color:var(--muted);font-size:13px}
.thread .head-row{display:flex;gap:10px;align-items:center;margin-top:8px}
.thread .text{white-space:pre-wrap;overflow-wrap:anywhere;margin:8px 0}
.comments li{background:var(--them);border-radius:10px;padding:6px 10px;white-space:pre-wrap;overflow-wrap:anywhere}
.comments small{display:block;font-size:12px;color:var(--muted)}
.pending,.comments .pending{opacity:.75}
`;

let made: CSSStyleSheet | undefined;
/** Adds the tab's sheet to the shadow root `node` is in, once. */
export function adoptIdeasSheet(node: Node) {
  const root = node.getRootNode() as ShadowRoot;
  if (!made) {
    made = new CSSStyleSheet();
    made.replaceSync(ideasCss);
  }
  if (root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(made)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, made];
}
