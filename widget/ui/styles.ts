// The widget's whole stylesheet. Adopted into the shadow root, so host CSS and ours never meet.
export const css = `
:host{all:initial!important;position:fixed!important;inset:auto 0 0 auto!important;z-index:2147483647!important;display:block!important;width:0!important;height:0!important}
*{box-sizing:border-box;margin:0;font:inherit;color:inherit}
.root{--accent:#3451d1;--bg:#fff;--fg:#1b1f2a;--muted:#5a6072;--line:#e2e5ee;--mine:var(--accent);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--accent);color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(20,30,80,.3);display:grid;place-items:center}
.launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
.launcher svg{width:26px;height:26px;fill:currentColor}
.panel{position:fixed;right:20px;bottom:88px;width:min(370px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));background:var(--bg);border-radius:14px;box-shadow:0 12px 40px rgba(20,30,80,.25);display:flex;flex-direction:column;overflow:hidden;border:1px solid var(--line)}
header{background:var(--accent);color:#fff;padding:14px 16px;display:flex;align-items:flex-start;gap:8px}
header div{flex:1}
h2{font-size:16px;font-weight:600}
header p{font-size:12.5px;opacity:.92}
.x{background:none;border:0;color:#fff;cursor:pointer;font-size:22px;line-height:1;padding:2px 6px;border-radius:6px}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:80%;padding:8px 12px;border-radius:14px;background:#eef0f6;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.mine{align-self:flex-end;background:var(--mine);color:#fff}
.msg.pending{opacity:.7}
.msg.failed{background:#fde3e1;color:#8a1c12}
.msg small{display:block;font-size:11.5px;opacity:.85;margin-bottom:2px}
.msg .act{background:none;border:0;text-decoration:underline;cursor:pointer;padding:0 4px;font-size:12px}
.empty{color:var(--muted);text-align:center;margin:auto;padding:20px;background:none;max-width:none;align-self:center}
form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;border:1px solid var(--line);border-radius:10px;padding:8px 10px;min-height:40px;max-height:120px;background:var(--bg)}
form button{border:0;border-radius:10px;background:var(--accent);color:#fff;padding:0 14px;cursor:pointer;font-weight:600}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0;border:0;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}.launcher[aria-expanded=true]{display:none}}
@media (prefers-reduced-motion:no-preference){.panel{animation:in .16s ease-out}@keyframes in{from{opacity:0;transform:translateY(8px)}}}
`;
