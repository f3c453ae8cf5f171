// Feedback: the app's ideas, most voted first, each with who voted for it — verified users only,
// with their verified attributes — and a status control (open, planned, in progress, done,
// declined) whose change the widget's board shows from its next read.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { App, OperatorIdea } from "../../contract/operator.ts";
import { IDEA_STATUSES, type IdeaStatus } from "../../contract/wire.ts";
import type { ConsoleState } from "../state/console.ts";
import { createFeedback, votersBy, type Feedback } from "../state/feedback.ts";
import { fullTime } from "./labels.tsx";
import { useSignal } from "./use-signal.ts";

const STATUS_LABEL: Record<IdeaStatus, string> = { open: "Open", planned: "Planned", in_progress: "In progress", done: "Done", declined: "Declined" };

/** Every status, as the options of a select. */
const StatusOptions = () => (
  <>
    {IDEA_STATUSES.map((s) => (
      <option key={s} value={s}>
        {STATUS_LABEL[s]}
      </option>
    ))}
  </>
);

export function FeedbackScreen({ app, current }: { app: ConsoleState; current: App }) {
  const feedback = useMemo(() => createFeedback(app.api, current.id), [current.id]);
  useEffect(() => void feedback.load(), [feedback]);
  // A suggestion, a vote or a comment on the widget shows here by itself.
  const events = useSignal(app.events);
  useEffect(() => events?.on("feedback", () => void feedback.load()), [events, feedback]);
  const list = useSignal(feedback.list);
  const problem = useSignal(feedback.problem);
  const [show, setShow] = useState<IdeaStatus | "all">("all");
  const shown = list?.filter((i) => show === "all" || i.status === show);
  return (
    <div class="news">
      <h1 tabIndex={-1}>Feedback</h1>
      <p class="help">The ideas on your widget's board, most voted first. Only verified users suggest and vote, so every voter below is someone your backend signed.</p>
      {problem && (
        <p class="banner error" role="alert">
          {problem}
        </p>
      )}
      <label class="inline">
        Show
        <select value={show} onChange={(e) => setShow((e.target as HTMLSelectElement).value as IdeaStatus | "all")}>
          <option value="all">Every status</option>
          <StatusOptions />
        </select>
      </label>
      {!shown ? (
        <p class="help">Loading ideas…</p>
      ) : shown.length === 0 ? (
        <p class="help">{list!.length ? "No idea has this status." : "No ideas yet. Verified users suggest them in the widget's Ideas tab."}</p>
      ) : (
        <ul class="ideas">
          {shown.map((idea) => (
            <IdeaItem key={idea.id} feedback={feedback} idea={idea} />
          ))}
        </ul>
      )}
    </div>
  );
}

function IdeaItem({ feedback, idea }: { feedback: Feedback; idea: OperatorIdea }) {
  const [status, setStatus] = useState(idea.status);
  const [state, setState] = useState<{ ok?: string; problem?: string }>({});
  useEffect(() => setStatus(idea.status), [idea.status]);
  const split = votersBy(idea.voters);
  const by = idea.author.type === "operator" ? `your team${idea.author.name ? ` (${idea.author.name})` : ""}` : `${idea.author.name ? `${idea.author.name}, ` : ""}${idea.author.userId}`;
  return (
    <li class="card idea">
      <article aria-labelledby={`idea-${idea.id}`}>
        <div class="idea-head">
          <p class="votes" aria-label={`${idea.votes} ${idea.votes === 1 ? "vote" : "votes"}`}>
            <strong>{idea.votes}</strong>
            <span aria-hidden="true">{idea.votes === 1 ? "vote" : "votes"}</span>
          </p>
          <div class="idea-title">
            <h2 id={`idea-${idea.id}`}>{idea.title}</h2>
            <p class="help">
              Suggested by {by} · {fullTime(idea.createdAt)} · {idea.comments === 1 ? "1 comment" : `${idea.comments} comments`}
            </p>
          </div>
          <label class="inline">
            <span class="sr-only">Status of “{idea.title}”</span>
            <select
              value={status}
              onChange={async (e) => {
                const next = (e.target as HTMLSelectElement).value as IdeaStatus;
                setStatus(next);
                setState({});
                try {
                  await feedback.setStatus(idea.id, next);
                  setState({ ok: `Now ${STATUS_LABEL[next].toLowerCase()}: the widget's board shows it from its next read.` });
                } catch (err) {
                  setStatus(idea.status);
                  setState({ problem: (err as Error).message });
                }
              }}
            >
              <StatusOptions />
            </select>
          </label>
        </div>
        {idea.body && <p class="body">{idea.body}</p>}
        {split.length > 0 && (
          <p class="help">
            Voters by{" "}
            {split.map((a, i) => (
              <span key={a.name}>
                {i > 0 ? "; " : ""}
                {a.name}: {a.values.map(([v, n]) => `${v} ${n}`).join(", ")}
              </span>
            ))}
          </p>
        )}
        {idea.voters.length > 0 && (
          <details>
            <summary>{idea.voters.length === 1 ? "1 verified voter" : `${idea.voters.length} verified voters`}</summary>
            <ul class="voters">
              {idea.voters.map((v) => (
                <li key={v.userId}>
                  <code>{v.userId}</code>
                  {Object.keys(v.attributes).length > 0 && (
                    <span class="help">
                      {" "}
                      {Object.entries(v.attributes)
                        .map(([k, val]) => `${k}: ${typeof val === "string" ? val : JSON.stringify(val)}`)
                        .join(" · ")}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </details>
        )}
        {(state.ok || state.problem) && (
          <p class={state.problem ? "error" : "ok"} role={state.problem ? "alert" : "status"}>
            {state.problem ?? state.ok}
          </p>
        )}
      </article>
    </li>
  );
}
