// `parley migrate`: brings storage to the current schema (serve does this itself when it starts).
import { readEnv } from "../config.ts";
import { folderHolder } from "../storage/folder-lock.ts";
import { print, warn, type Command } from "./command.ts";

export const command: Command = {
  usage: "parley migrate",
  options: {},
  async run() {
    const env = readEnv();
    const holder = env.databaseUrl ? undefined : folderHolder(env.dataDir);
    if (holder) return print({ ok: true, storage: "embedded", note: `Process ${holder.pid} (parley ${holder.command}) holds ${env.dataDir} and migrated it when it opened it.` });
    const { openStore } = await import("../storage/open.ts");
    const opened = await openStore(env, "migrate");
    if (opened.created) warn(`created the data folder ${env.dataDir}.`);
    const storage = opened.store.db.kind;
    await opened.close();
    print({ ok: true, storage });
  },
};
