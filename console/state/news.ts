// An app's "What's new": announcements with their audience, reach and reads; publishing one for
// everyone or for an audience over the verified attributes seen on contacts; deleting one.
import { signal } from "@preact/signals-core";
import { seg, type Api } from "../api.ts";
import type { AttributesResponse, OperatorAnnouncement, OperatorAnnouncementsResponse, ReachResponse } from "../../contract/operator.ts";
import type { Audience } from "../../contract/wire.ts";

export function createNews(api: Api, appId: string) {
  const base = `/apps/${seg(appId)}/announcements`;
  const list = signal<OperatorAnnouncement[] | undefined>(undefined);
  const attributes = signal<AttributesResponse | undefined>(undefined);
  const problem = signal<string | undefined>(undefined);

  async function load() {
    try {
      const [announcements, seen] = await Promise.all([api.get<OperatorAnnouncementsResponse>(base), api.get<AttributesResponse>(`/apps/${seg(appId)}/attributes`)]);
      list.value = announcements.announcements;
      attributes.value = seen;
      problem.value = undefined;
    } catch (err) {
      problem.value = (err as Error).message;
    }
  }

  return {
    list,
    attributes,
    problem,
    load,
    async publish(input: { title: string; body: string; audience: Audience | null }) {
      await api.send("POST", base, input);
      await load();
    },
    async remove(id: string) {
      await api.send("DELETE", `${base}/${seg(id)}`);
      await load();
    },
    /** How many verified contacts an audience reaches now. */
    async reach(audience: Audience | null): Promise<number> {
      const query = audience ? `?audience=${encodeURIComponent(JSON.stringify(audience))}` : "";
      return (await api.get<ReachResponse>(`/apps/${seg(appId)}/reach${query}`)).contacts;
    },
  };
}
export type News = ReturnType<typeof createNews>;
