// "What's new": write an announcement for everyone or for an audience picked from the verified
// attributes seen on contacts (with how many contacts it reaches now), and the announcements
// published, with their audience, reach and reads.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ConsoleState } from "../state/console.ts";
import { createNews, type News } from "../state/news.ts";
import type { App, OperatorAnnouncement } from "../../contract/operator.ts";
import type { Audience } from "../../contract/wire.ts";
import { fullTime } from "./labels.tsx";
import { useSignal } from "./use-signal.ts";

export function NewsScreen({ app, current }: { app: ConsoleState; current: App }) {
  const news = useMemo(() => createNews(app.api, current.id), [current.id]);
  useEffect(() => void news.load(), [news]);
  const problem = useSignal(news.problem);
  return (
    <div class="news">
      <h1 tabIndex={-1}>What's new</h1>
      <p class="help">Announcements show in the widget's What's new tab. An audience is matched against verified attributes only: a visitor who merely claims a plan sees only what is for everyone.</p>
      {problem && (
        <p class="banner error" role="alert">
          {problem}
        </p>
      )}
      <Compose news={news} />
      <Published news={news} />
    </div>
  );
}

/** Audience as picked: attribute name → values ticked. Empty: everyone. */
type Picked = Record<string, string[]>;

const toAudience = (picked: Picked): Audience | null => {
  const entries = Object.entries(picked).filter(([, values]) => values.length > 0);
  return entries.length ? Object.fromEntries(entries) : null;
};

export const describeAudience = (audience: Audience | null) =>
  audience
    ? Object.entries(audience)
        .map(([name, values]) => `${name}: ${values.join(" or ")}`)
        .join(", and ")
    : "Everyone";

function Compose({ news }: { news: News }) {
  const seen = useSignal(news.attributes);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [targeted, setTargeted] = useState(false);
  const [picked, setPicked] = useState<Picked>({});
  const [other, setOther] = useState({ name: "", values: "" });
  const [reach, setReach] = useState<number | undefined>(undefined);
  const [state, setState] = useState<{ ok?: string; problem?: string }>({});

  const audience = useMemo(() => {
    if (!targeted) return null;
    const all: Picked = { ...picked };
    const name = other.name.trim();
    const values = other.values
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    if (name && values.length) all[name] = [...new Set([...(all[name] ?? []), ...values])];
    return toAudience(all);
  }, [targeted, picked, other]);
  const key = JSON.stringify(audience);

  useEffect(() => {
    let live = true;
    setReach(undefined);
    news.reach(audience).then(
      (n) => live && setReach(n),
      () => live && setReach(undefined),
    );
    return () => void (live = false);
  }, [key]);

  const toggle = (name: string, value: string, on: boolean) => {
    const values = new Set(picked[name] ?? []);
    if (on) values.add(value);
    else values.delete(value);
    setPicked({ ...picked, [name]: [...values] });
  };

  return (
    <section class="card" aria-labelledby="compose-title">
      <h2 id="compose-title">New announcement</h2>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          setState({});
          if (targeted && !audience) return setState({ problem: "Pick at least one value, or choose Everyone." });
          try {
            await news.publish({ title: title.trim(), body, audience });
            setTitle("");
            setBody("");
            setPicked({});
            setOther({ name: "", values: "" });
            setTargeted(false);
            setState({ ok: "Published. It shows in the widget from the next time a visitor's widget reads What's new." });
          } catch (err) {
            setState({ problem: (err as Error).message });
          }
        }}
      >
        <label>
          Title
          <input value={title} required maxLength={200} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Text
          <textarea value={body} required rows={5} maxLength={10000} aria-describedby="body-help" onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
        </label>
        <p id="body-help" class="help">
          Plain text: a blank line starts a paragraph, and http(s) links become clickable.
        </p>
        <fieldset>
          <legend>Audience</legend>
          <label class="choice">
            <input type="radio" name="audience" checked={!targeted} onChange={() => setTargeted(false)} />
            <span>Everyone — every visitor, signed in or not</span>
          </label>
          <label class="choice">
            <input type="radio" name="audience" checked={targeted} onChange={() => setTargeted(true)} />
            <span>Verified users whose attributes match</span>
          </label>
          {targeted && (
            <div class="audience">
              <p class="help">A user sees it when, for every attribute you pick values of, their verified value is one of those picked.</p>
              {seen && seen.attributes.length === 0 && <p class="help">No verified contact has attributes yet (they come from signed payloads and tokens). Name one below.</p>}
              {seen?.attributes.map((a) => (
                <fieldset key={a.name} class="attribute">
                  <legend>{a.name}</legend>
                  {a.values.map((v) => (
                    <label key={v.value} class="tick">
                      <input type="checkbox" checked={picked[a.name]?.includes(v.value) ?? false} onChange={(e) => toggle(a.name, v.value, (e.target as HTMLInputElement).checked)} />
                      {v.value} <span class="help">({v.contacts === 1 ? "1 contact" : `${v.contacts} contacts`})</span>
                    </label>
                  ))}
                </fieldset>
              ))}
              <div class="row other">
                <label>
                  Other attribute
                  <input value={other.name} placeholder="plan" onInput={(e) => setOther({ ...other, name: (e.target as HTMLInputElement).value })} />
                </label>
                <label>
                  Values (comma-separated)
                  <input value={other.values} placeholder="pro, enterprise" onInput={(e) => setOther({ ...other, values: (e.target as HTMLInputElement).value })} />
                </label>
              </div>
            </div>
          )}
        </fieldset>
        <p class="reach" role="status">
          {describeAudience(audience)}
          {targeted && reach !== undefined && seen ? ` — reaches ${reach} of ${seen.contacts} verified contacts now` : ""}
        </p>
        <button type="submit" class="primary">
          Publish
        </button>
        {(state.ok || state.problem) && (
          <p class={state.problem ? "error" : "ok"} role={state.problem ? "alert" : "status"}>
            {state.problem ?? state.ok}
          </p>
        )}
      </form>
    </section>
  );
}

function Published({ news }: { news: News }) {
  const list = useSignal(news.list);
  return (
    <section class="card" aria-labelledby="published-title">
      <h2 id="published-title">Published</h2>
      {!list ? <p class="help">Loading…</p> : list.length === 0 ? <p class="help">Nothing published yet.</p> : <ul class="announcements">{list.map((a) => <Item key={a.id} news={news} a={a} />)}</ul>}
    </section>
  );
}

function Item({ news, a }: { news: News; a: OperatorAnnouncement }) {
  const [confirming, setConfirming] = useState(false);
  const [reach, setReach] = useState<number | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (a.audience) news.reach(a.audience).then(setReach, () => {});
  }, [a.id]);
  return (
    <li>
      <article aria-labelledby={`ann-${a.id}`}>
        <h3 id={`ann-${a.id}`}>{a.title}</h3>
        <p class="help">
          {fullTime(a.publishedAt)} · For: {describeAudience(a.audience)}
          {a.audience && reach !== undefined ? ` (reaches ${reach === 1 ? "1 verified contact" : `${reach} verified contacts`})` : ""} · Read by {a.reads === 1 ? "1 person" : `${a.reads} people`}
        </p>
        <p class="body">{a.body}</p>
        {!confirming ? (
          <button type="button" class="danger-quiet" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        ) : (
          <div class="confirm" role="group" aria-label={`Delete ${a.title}`}>
            <p>Delete “{a.title}”? It disappears from every visitor's What's new.</p>
            <div class="row">
              <button
                type="button"
                class="danger"
                onClick={async () => {
                  try {
                    await news.remove(a.id);
                  } catch (err) {
                    setProblem((err as Error).message);
                  }
                }}
              >
                Delete
              </button>
              <button type="button" autoFocus onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
      </article>
    </li>
  );
}
