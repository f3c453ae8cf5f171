// An app's ideas board as the operator reads it: most voted first, each with its verified voters
// and their verified attributes, and a status the operator sets.
import { signal } from "@preact/signals-core";
import { seg, type Api } from "../api.ts";
import type { OperatorIdea, OperatorIdeaResponse, OperatorIdeasResponse } from "../../contract/operator.ts";
import type { IdeaStatus } from "../../contract/wire.ts";

export function createFeedback(api: Api, appId: string) {
  const base = `/apps/${seg(appId)}/ideas`;
  const list = signal<OperatorIdea[] | undefined>(undefined);
  const problem = signal<string | undefined>(undefined);

  return {
    list,
    problem,
    async load() {
      try {
        list.value = (await api.get<OperatorIdeasResponse>(base)).ideas;
        problem.value = undefined;
      } catch (err) {
        problem.value = (err as Error).message;
      }
    },
    /** Sets an idea's status; the idea as the server now has it replaces the one shown. */
    async setStatus(ideaId: string, status: IdeaStatus) {
      const { idea } = await api.send<OperatorIdeaResponse>("PATCH", `${base}/${seg(ideaId)}`, { status });
      list.value = (list.peek() ?? []).map((i) => (i.id === idea.id ? idea : i));
    },
  };
}
export type Feedback = ReturnType<typeof createFeedback>;

/** Who someone is, not a segment of them. */
const DETAILS = new Set(["name", "email"]);

/**
 * How an idea's voters split by each attribute with a few values (plan: pro 3, free 1): "how many
 * Pro customers want this" at a glance. Names, emails and attributes with a value per voter (ids)
 * are left out.
 */
export function votersBy(voters: OperatorIdea["voters"], most = 6): { name: string; values: [string, number][] }[] {
  const names = new Map<string, Map<string, number>>();
  for (const voter of voters) {
    for (const [name, value] of Object.entries(voter.attributes)) {
      if (DETAILS.has(name) || (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")) continue;
      const counts = names.get(name) ?? new Map<string, number>();
      names.set(name, counts);
      counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    }
  }
  return [...names.entries()]
    // A value per voter among several voters is an id or an email, not a segment.
    .filter(([, counts]) => counts.size <= most && (voters.length <= 2 || counts.size < voters.length))
    .map(([name, counts]) => ({ name, values: [...counts.entries()].sort((a, b) => b[1] - a[1]) }));
}
