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
    const o = value as ParleySettings & InitOptions & Record<string, unknown>;
    for (const [key, check, expected, look] of RULES) {
      if (o[key] === undefined) continue;
      const ok = check(o[key]);
      if (ok === undefined) warn(`${from}.${key}: expected ${expected}`);
      else ((look ? out.appearance : out) as unknown as Record<string, unknown>)[key] = ok;
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

/** A setting's value as the widget keeps it, or undefined when it is not one. */
type Check = (v: unknown) => unknown;
const text = (re: RegExp): Check => (v) => (typeof v === "string" && re.test(v) ? v : undefined);
const oneOf = (...values: string[]): Check => (v) => (values.includes(v as string) ? v : undefined);
const flag: Check = (v) => (typeof v === "boolean" ? v : undefined);
const TRUE_OR_FALSE = "true or false";

/** Each setting: its check, what it expects (said in the warning), and whether it is part of the look. */
const RULES: [key: string, check: Check, expected: string, look?: true][] = [
  ["appId", text(/^[A-Za-z0-9_-]{1,100}$/), 'an app id such as "app_…"'],
  ["apiBase", (v) => (text(/^https?:\/\//)(v) ? trimSlash(v as string) : undefined), "an http(s) URL"],
  ["debug", flag, TRUE_OR_FALSE],
  ["open", flag, TRUE_OR_FALSE],
  ["accentColor", text(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i), 'a hex colour such as "#3451d1"', true],
  ["position", oneOf("left", "right"), '"left" or "right"', true],
  ["theme", oneOf("light", "dark", "auto"), '"light", "dark" or "auto"', true],
  ["launcherLabel", (v) => (typeof v === "string" && v.trim() && v.length <= 40 ? v.trim() : undefined), "text of 1 to 40 characters", true],
  ["locale", text(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i), 'a language tag such as "fr" or "en-GB"', true],
  ["launcher", flag, TRUE_OR_FALSE, true],
  ["refreshIdentity", (v) => (typeof v === "function" ? v : undefined), "a function returning a fresh identity"],
  [
    "tabs",
    (v) => {
      const tabs = Array.isArray(v) ? [...new Set(v)] : [];
      return tabs.length && tabs.every((t) => (TABS as readonly unknown[]).includes(t)) ? tabs : undefined;
    },
    `a list of ${TABS.map((t) => `"${t}"`).join(", ")}`,
  ],
];
