// The widget's whole stylesheet. Adopted into the shadow root (a constructable stylesheet needs
// no 'unsafe-inline'), so host CSS and ours never meet. Colours pass WCAG AA in both themes.
export const css = `
:host{all:initial!important;position:fixed!important;inset:auto 0 0 auto!important;z-index:2147483647!important;display:block!important;width:0!important;height:0!important}
*{box-sizing:border-box;margin:0;font:inherit;color:inherit}
.root{--accent:#3451d1;--on-accent:#fff;--bg:#fff;--fg:#1b1f2a;--muted:#575d6e;--line:#d9dce6;--them:#eef0f6;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
.dark{--bg:#1b1f2a;--fg:#eef0f6;--muted:#b9bfce;--line:#3a4154;--them:#2c3244}
@media (prefers-color-scheme:dark){.auto{--bg:#1b1f2a;--fg:#eef0f6;--muted:#b9bfce;--line:#3a4154;--them:#2c3244}}
.launcher{position:fixed;right:20px;bottom:20px;min-width:56px;height:56px;border-radius:28px;border:0;background:var(--accent);color:var(--on-accent);cursor:pointer;box-shadow:0 6px 20px rgba(20,30,80,.3);display:flex;align-items:center;justify-content:center;gap:8px;padding:0 15px;font-weight:600}
.left .launcher,.left .panel{left:20px;right:auto}
.launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
.launcher svg{width:26px;height:26px;fill:currentColor;flex:none}
.count{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#c4141c;color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 5px}
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
@media (max-width:480px){.panel{inset:0;width:100%;height:var(--vvh,100%);border-radius:0;border:0;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}.launcher[aria-expanded=true]{display:none}}
@media (prefers-reduced-motion:no-preference){.panel{animation:in .16s ease-out}@keyframes in{from{opacity:0;transform:translateY(8px)}}}
`;

/** The host's accent, and a text colour that stays readable on it (WCAG relative luminance). */
export function accentCss(hex: string): string {
  const full = hex.length === 4 ? "#" + [...hex.slice(1)].map((c) => c + c).join("") : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const light = 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.179;
  return `.root{--accent:${full};--on-accent:${light ? "#111" : "#fff"}}`;
}
