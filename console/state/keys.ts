// An app's signing keys: listed (never a secret), created (the secret comes back this once and is
// kept only in this page's memory until the operator dismisses it), revoked.
import { signal } from "@preact/signals-core";
import { seg, type Api } from "../api.ts";
import type { KeyKind } from "../../contract/claim.ts";
import type { KeyInfo, KeysResponse, NewKey } from "../../contract/operator.ts";

export function createKeys(api: Api, appId: string) {
  const base = `/apps/${seg(appId)}/keys`;
  const list = signal<KeyInfo[] | undefined>(undefined);
  const problem = signal<string | undefined>(undefined);
  /** The key just created, with its secret: shown once. */
  const created = signal<NewKey | undefined>(undefined);

  async function load() {
    try {
      list.value = (await api.get<KeysResponse>(base)).keys;
      problem.value = undefined;
    } catch (err) {
      problem.value = (err as Error).message;
    }
  }

  return {
    list,
    problem,
    created,
    load,
    async create(proof: KeyKind) {
      created.value = await api.send<NewKey>("POST", base, { proof });
      await load();
    },
    dismissSecret() {
      created.value = undefined;
    },
    async revoke(keyId: string) {
      await api.send("DELETE", `${base}/${seg(keyId)}`);
      await load();
    },
  };
}
export type Keys = ReturnType<typeof createKeys>;
