// The launcher's stylesheet, in the first chunk. Adopted into the shadow root (a constructable
// stylesheet needs no 'unsafe-inline'), so host CSS and ours never meet. Colours pass WCAG AA in
// both themes. The panel's own sheet (panel-styles.ts) arrives with the panel.
export const css = `
:host{all:initial!important;position:fixed!important;inset:auto 0 0 auto!important;z-index:2147483647!important;display:block!important;width:0!important;height:0!important}
*{box-sizing:border-box;margin:0;font:inherit;color:inherit}
.root{--accent:#3451d1;--on-accent:#fff;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.launcher{position:fixed;right:20px;bottom:20px;min-width:56px;height:56px;border-radius:28px;border:0;background:var(--accent);color:var(--on-accent);cursor:pointer;box-shadow:0 6px 20px rgba(20,30,80,.3);display:flex;align-items:center;justify-content:center;gap:8px;padding:0 15px;font-weight:600}
.left .launcher,.left .panel{left:20px;right:auto}
.launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
.launcher svg{width:26px;height:26px;fill:currentColor;flex:none}
.count{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#c4141c;color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 5px}
@media (max-width:480px){.launcher[aria-expanded=true]{display:none}}
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
