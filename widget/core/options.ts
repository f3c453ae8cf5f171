// Settings → init options, checked field by field: a bad field is warned about and ignored.
import type { Claim, InitOptions, LoaderConfig, ParleySettings } from "../wire.ts";
import { claimFromSettings, claimProblem } from "./claim.ts";
import { warn } from "./log.ts";

export interface ResolvedOptions {
  appId?: string;
  apiBase: string;
  claim: Claim | null;
  debug: boolean;
  open: boolean;
}

/** Later sources win: loader `<script>` attributes, then `ParleySettings`, then queued `init` calls. */
export function resolveOptions(loader: LoaderConfig | undefined, sources: { from: string; value: unknown }[]): ResolvedOptions {
  const out: ResolvedOptions = {
    appId: loader?.appId,
    apiBase: trimSlash(loader?.apiBase || (loader ? new URL(loader.base).origin : location.origin)),
    claim: null,
    debug: false,
    open: false,
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
