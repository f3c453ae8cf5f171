// `parley/global`: the types of the script-tag snippet's globals, for a page that loads Parley with
// `<script src=…/loader.js>` and calls `Parley(…)` / `window.Parley(…)` itself:
//
//   /// <reference types="parley/global" />   (or "types": ["parley/global"] in tsconfig.json)
//   Parley("on", "unread", ({ count }) => …);
import type { ParleyCommand, ParleySettings as Settings } from "../contract/wire.ts";

declare global {
  /** The queueing function of the inline stub or the loader; the widget's dispatcher once it runs. */
  var Parley: ParleyCommand;
  /** Read once, when the widget starts; the loader's `data-app-id` and `data-api-base` give way to it. */
  var ParleySettings: Settings | undefined;
}

export {};
