// `parley`: the browser entry. `Parley` is a namespace of plain functions, so a bundler keeps only
// those a page calls; importing it runs nothing (a server can import it while rendering).
//
//   import { Parley } from "parley";
//   Parley.load({ host: "https://parley.example.com", appId: "app_…" });
//   Parley.on("unread", ({ count }) => …);
export * as Parley from "./parley.ts";
export type { LoadOptions } from "./parley.ts";
export type {
  Claim,
  HashClaim,
  PayloadClaim,
  TokenClaim,
  IdentityVerdict,
  IdentityStatus,
  RejectReason,
  Message,
  Author,
  InitOptions,
  IdentifyOptions,
  OpenOptions,
  TabName,
  CommandName,
  CommandArgs,
  EventName,
  EventPayloads,
  EventHandler,
  ParleyCommand,
  ParleySettings,
} from "../contract/wire.ts";
