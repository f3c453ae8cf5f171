// Settings → init options, checked field by field: a bad field is warned about and ignored.
import { TABS, type Claim, type InitOptions, type LoaderConfig, type ParleySettings, type TabName } from "../../contract/wire.ts";
import { claimFromSettings, claimProblem } from "./claim.ts";
import { warn } from "./log.ts";

export interface ResolvedOptions {
  appId?: string;
  apiBase: string;
  claim: Claim | null;
  debug: boolean;
  open: boolean;
  appearance: Appearance;
  refreshIdentity?: () => unknown;
  /** The tabs the site owner chose; unset: chat, and each other tab the app has content for. */
  tabs?: TabName[];
}

/** The visual settings, checked: nothing from the host reaches CSS unvalidated. */
export interface Appearance {
  /** `#rgb` or `#rrggbb` only, so a setting can never inject CSS. */
  accentColor?: string;
  position: "left" | "right";
  launcherLabel?: string;
  theme: "light" | "dark" | "auto";
  locale?: string;
  /** false: the site opens the panel from its own button. Unset: our launcher. */
  launcher?: boolean;
}

/** Later sources win: loader `<script>` attributes, then `ParleySettings`, then queued `init` calls. */
export function resolveOptions(loader: LoaderConfig | undefined, sources: { from: string; value: unknown }[]): ResolvedOptions {
  const out: ResolvedOptions = {
    appId: loader?.appId,
    apiBase: trimSlash(loader?.apiBase || (loader ? new URL(loader.base).origin : location.origin)),
    claim: null,
    debug: false,
    open: false,
    appearance: { position: "right", theme: "light" },
  };
  for (const { from, value } of sources) {
    if (value === undefined || value === null) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      warn(`${from}: expected an object of options`);
      continue;
    }
    const o = value as ParleySettings & InitOptions;
    if (o.appId !== undefined) {
      if (typeof o.appId === "string" && /^[A-Za-z0-9_-]{1,100}$/.test(o.appId)) out.appId = o.appId;
      else warn(`${from}.appId: expected an app id such as "app_…"`);
    }
    if (o.apiBase !== undefined) {
      if (typeof o.apiBase === "string" && /^https?:\/\//.test(o.apiBase)) out.apiBase = trimSlash(o.apiBase);
      else warn(`${from}.apiBase: expected an http(s) URL`);
    }
    for (const flag of ["debug", "open"] as const) {
      if (o[flag] === undefined) continue;
      if (typeof o[flag] === "boolean") out[flag] = o[flag];
      else warn(`${from}.${flag}: expected true or false`);
    }
    const a = out.appearance;
    if (o.accentColor !== undefined) {
      if (typeof o.accentColor === "string" && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(o.accentColor)) a.accentColor = o.accentColor;
      else warn(`${from}.accentColor: expected a hex colour such as "#3451d1"`);
    }
    if (o.position !== undefined) {
      if (o.position === "left" || o.position === "right") a.position = o.position;
      else warn(`${from}.position: expected "left" or "right"`);
    }
    if (o.theme !== undefined) {
      if (o.theme === "light" || o.theme === "dark" || o.theme === "auto") a.theme = o.theme;
      else warn(`${from}.theme: expected "light", "dark" or "auto"`);
    }
    if (o.launcherLabel !== undefined) {
      if (typeof o.launcherLabel === "string" && o.launcherLabel.trim() && o.launcherLabel.length <= 40) a.launcherLabel = o.launcherLabel.trim();
      else warn(`${from}.launcherLabel: expected text of 1 to 40 characters`);
    }
    if (o.locale !== undefined) {
      if (typeof o.locale === "string" && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(o.locale)) a.locale = o.locale;
      else warn(`${from}.locale: expected a language tag such as "fr" or "en-GB"`);
    }
    if (o.launcher !== undefined) {
      if (typeof o.launcher === "boolean") a.launcher = o.launcher;
      else warn(`${from}.launcher: expected true or false`);
    }
    if (o.refreshIdentity !== undefined) {
      if (typeof o.refreshIdentity === "function") out.refreshIdentity = o.refreshIdentity;
      else warn(`${from}.refreshIdentity: expected a function returning a fresh identity`);
    }
    if (o.tabs !== undefined) {
      const tabs = Array.isArray(o.tabs) ? [...new Set(o.tabs)] : [];
      if (tabs.length && tabs.every((t) => (TABS as readonly unknown[]).includes(t))) out.tabs = tabs;
      else warn(`${from}.tabs: expected a list of ${TABS.map((t) => `"${t}"`).join(", ")}`);
    }
    const claim = claimFromSettings(o);
    if (claim === null) out.claim = null;
    else if (claim !== undefined) {
      const problem = claimProblem(claim);
      if (problem) warn(`${from} identity: ${problem}; continuing as an anonymous visitor`);
      else out.claim = claim;
    }
  }
  return out;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");
