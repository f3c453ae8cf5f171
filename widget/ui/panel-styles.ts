// The panel's stylesheet: it arrives with the panel chunk and is adopted beside the launcher's,
// whose accent (--accent, --on-accent) it uses. The themes are the panel's: the launcher is the accent.
export const panelCss = `
.root{--bg:#fff;--fg:#1b1f2a;--muted:#575d6e;--line:#d9dce6;--them:#eef0f6;color:var(--fg)}
.dark{--bg:#1b1f2a;--fg:#eef0f6;--muted:#b9bfce;--line:#3a4154;--them:#2c3244}
@media (prefers-color-scheme:dark){.auto{--bg:#1b1f2a;--fg:#eef0f6;--muted:#b9bfce;--line:#3a4154;--them:#2c3244}}
.panel{position:fixed;right:20px;bottom:88px;width:min(370px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));background:var(--bg);border-radius:14px;box-shadow:0 12px 40px rgba(20,30,80,.25);display:flex;flex-direction:column;overflow:hidden;border:1px solid var(--line)}
.head{background:var(--accent);color:var(--on-accent);padding:14px 16px;display:flex;align-items:flex-start;gap:8px}
.head div{flex:1}
h2{font-size:16px;font-weight:600}
.head p{font-size:12.5px}
.x{background:none;border:0;cursor:pointer;font-size:22px;line-height:1;padding:2px 6px;border-radius:6px}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:80%;padding:8px 12px;border-radius:14px;background:var(--them);white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.mine{align-self:flex-end;background:var(--accent);color:var(--on-accent)}
.msg.failed{background:#fde3e1;color:#8a1c12}
.msg small{display:block;font-size:12px;margin-bottom:2px}
.msg .act{background:none;border:0;text-decoration:underline;cursor:pointer;padding:0 4px;font-size:12px}
.empty{color:var(--muted);text-align:center;margin:auto;padding:20px}
form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;border:1px solid var(--line);border-radius:10px;padding:8px 10px;min-height:40px;max-height:120px;background:var(--bg)}
textarea::placeholder{color:var(--muted)}
form button{border:0;border-radius:10px;background:var(--accent);color:var(--on-accent);padding:0 14px;cursor:pointer;font-weight:600}
.nolauncher .panel{bottom:20px}
.body{flex:1;display:flex;flex-direction:column;min-height:0}
.tabs{display:flex;gap:4px;padding:0 10px;border-bottom:1px solid var(--line)}
.tab{position:relative;background:none;border:0;border-bottom:3px solid transparent;padding:10px 8px 7px;cursor:pointer;color:var(--muted);font-weight:600;display:flex;align-items:center;gap:6px}
.tab[aria-selected=true]{color:var(--fg);border-bottom-color:var(--accent)}
.tab .count{position:static}
.news{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:12px}
article{border:1px solid var(--line);border-radius:10px;padding:12px}
article h3{font-size:15px;font-weight:600}
article p{margin-top:6px;white-space:pre-line;overflow-wrap:anywhere}
article a{color:var(--accent);text-decoration:underline}
.dark article a,.auto article a{color:inherit}
.meta{color:var(--muted);font-size:12px;display:flex;gap:8px;align-items:center}
.new{background:var(--accent);color:var(--on-accent);border-radius:6px;padding:0 6px;font-weight:600}
@media (max-width:480px){.panel{inset:0;width:100%;height:var(--vvh,100%);border-radius:0;border:0;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}}
@media (prefers-reduced-motion:no-preference){.panel{animation:in .16s ease-out}@keyframes in{from{opacity:0;transform:translateY(8px)}}}
`;
