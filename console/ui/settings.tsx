// An app's settings: signing keys (create — the secret shown once, with a copy button and the
// backend snippet filled in — list, revoke after a confirmation), the identity mode, the allowed
// origins, and the app itself. Every change applies to the widget's next request.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { KEY_KINDS } from "../../contract/claim.ts";
import type { ConsoleState } from "../state/console.ts";
import { createKeys, type Keys } from "../state/keys.ts";
import { PROOF_LABEL, signingSnippet } from "../snippets.ts";
import type { KeyKind } from "../../contract/claim.ts";
import type { App, NewKey } from "../../contract/operator.ts";
import { fullTime } from "./labels.tsx";
import { useSignal } from "./use-signal.ts";

const APPLIES = "Saved. It applies from the widget's next request.";

export function SettingsScreen({ app, current }: { app: ConsoleState; current: App }) {
  const keys = useMemo(() => createKeys(app.api, current.id), [current.id]);
  useEffect(() => void keys.load(), [keys]);
  return (
    <div class="settings">
      <h1 tabIndex={-1}>Settings</h1>
      <p class="help">
        App <code>{current.id}</code>: put it in your page's <code>ParleySettings.appId</code> or the loader's <code>data-app-id</code>.
      </p>
      <KeysSection keys={keys} appId={current.id} />
      <ModeSection app={app} current={current} />
      <OriginsSection app={app} current={current} />
      <AppSection app={app} current={current} />
    </div>
  );
}

function KeysSection({ keys, appId }: { keys: Keys; appId: string }) {
  const list = useSignal(keys.list);
  const problem = useSignal(keys.problem);
  const created = useSignal(keys.created);
  const [proof, setProof] = useState<KeyKind>("hash");
  const [busy, setBusy] = useState(false);
  const [createProblem, setCreateProblem] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);

  return (
    <section aria-labelledby="keys-title" class="card">
      <h2 id="keys-title">Signing keys</h2>
      <p class="help">Your backend signs who the signed-in user is with a key's secret; Parley verifies it on every message. Each key signs one kind of proof. Several active keys of a kind all verify, so you can rotate: create the new key, deploy it, then revoke the old one.</p>
      {created && <NewKeyPanel created={created} appId={appId} onDone={() => keys.dismissSecret()} />}
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setCreateProblem(undefined);
          try {
            await keys.create(proof);
          } catch (err) {
            setCreateProblem((err as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Kind of proof
          <select value={proof} onChange={(e) => setProof((e.target as HTMLSelectElement).value as KeyKind)}>
            {KEY_KINDS.map((k) => (
              <option key={k} value={k}>
                {PROOF_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" aria-disabled={busy ? "true" : undefined}>
          Create key
        </button>
      </form>
      {createProblem && (
        <p class="error" role="alert">
          {createProblem}
        </p>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {!list ? (
        <p class="help">Loading keys…</p>
      ) : list.length === 0 ? (
        <p class="help">No keys yet: until there is one, no proof can verify and every signed-in user is treated as anonymous.</p>
      ) : (
        <ul class="keys">
          {list.map((k) => (
            <li key={k.keyId} class={k.revokedAt ? "revoked" : ""}>
              <div class="key-line">
                <code>{k.keyId}</code>
                <span class="badge">{k.proof}</span>
                <span class="help">
                  created {fullTime(k.createdAt)}
                  {k.revokedAt ? ` · revoked ${fullTime(k.revokedAt)}` : ""}
                </span>
                {!k.revokedAt && confirming !== k.keyId && (
                  <button type="button" class="danger-quiet" onClick={() => setConfirming(k.keyId)}>
                    Revoke…
                  </button>
                )}
              </div>
              {confirming === k.keyId && <RevokeConfirm keyId={k.keyId} keys={keys} onDone={() => setConfirming(undefined)} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RevokeConfirm({ keyId, keys, onDone }: { keyId: string; keys: Keys; onDone: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div class="confirm" role="group" aria-labelledby={`revoke-${keyId}`}>
      <p id={`revoke-${keyId}`}>
        Revoke <code>{keyId}</code>? Every proof signed with it fails from the next request: users signed with it become anonymous until your backend signs with another key. This cannot be undone.
      </p>
      <div class="row">
        <button
          type="button"
          class="danger"
          onClick={async () => {
            try {
              await keys.revoke(keyId);
              onDone();
            } catch (err) {
              setProblem((err as Error).message);
            }
          }}
        >
          Revoke key
        </button>
        <button type="button" ref={cancel} onClick={onDone}>
          Cancel
        </button>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function NewKeyPanel({ created, appId, onDone }: { created: NewKey; appId: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const secret = useRef<HTMLInputElement>(null);
  const snippet = signingSnippet(created.proof, created.secret, appId);
  useEffect(() => heading.current?.focus(), [created.keyId]);
  return (
    <div class="new-key" role="region" aria-labelledby="new-key-title">
      <h3 id="new-key-title" ref={heading} tabIndex={-1}>
        Key <code>{created.keyId}</code> created — copy its secret now
      </h3>
      <p>This is the only time the secret is shown. Keep it on your server (an environment variable); never put it in a page or an app.</p>
      <div class="row secret">
        <label for="new-secret" class="sr-only">
          Secret of {created.keyId}
        </label>
        <input id="new-secret" ref={secret} readOnly value={created.secret} spellcheck={false} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <CopyButton text={created.secret} label="Copy secret" />
      </div>
      <h4>Sign with it on your backend</h4>
      <pre class="snippet" tabIndex={0} aria-label="Signing code for your backend">
        <code>{snippet}</code>
      </pre>
      <div class="row">
        <CopyButton text={snippet} label="Copy code" />
        <button type="button" onClick={onDone}>
          I have stored the secret
        </button>
      </div>
    </div>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<string | undefined>(undefined);
  return (
    <>
      <button
        type="button"
        onClick={async () => {
          setDone((await copy(text)) ? "Copied." : "Copy failed: select the text and copy it yourself.");
          setTimeout(() => setDone(undefined), 4000);
        }}
      >
        {label}
      </button>
      <span class="help" role="status">
        {done ?? ""}
      </span>
    </>
  );
}

/** The clipboard API where the page may use it (https, localhost); else the older command. */
async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

function useSaver() {
  const [state, setState] = useState<{ ok?: string; problem?: string }>({});
  const save = async (work: () => Promise<unknown>) => {
    setState({});
    try {
      await work();
      setState({ ok: APPLIES });
      return true;
    } catch (err) {
      setState({ problem: (err as Error).message });
      return false;
    }
  };
  const message = (
    <p class={state.problem ? "error" : "ok"} role={state.problem ? "alert" : "status"}>
      {state.problem ?? state.ok ?? ""}
    </p>
  );
  return { save, message };
}

function ModeSection({ app, current }: { app: ConsoleState; current: App }) {
  const { save, message } = useSaver();
  // Shown as chosen at once; put back if the server refuses.
  const [chosen, setChosen] = useState(current.mode);
  useEffect(() => setChosen(current.mode), [current.mode]);
  const choose = async (mode: App["mode"]) => {
    setChosen(mode);
    if (!(await save(() => app.apps.update(current.id, { mode })))) setChosen(current.mode);
  };
  return (
    <section aria-labelledby="mode-title" class="card">
      <h2 id="mode-title">Identity</h2>
      <fieldset>
        <legend>Who counts as a signed-in user</legend>
        <label class="choice">
          <input type="radio" name="mode" value="required" checked={chosen === "required"} onChange={() => void choose("required")} />
          <span>
            <strong>Proof required</strong> (recommended) — only a proof signed with one of your keys identifies a user. A bare user id, or a proof that fails, is treated as an anonymous visitor:
            the message is kept and shown here as rejected, with the reason.
          </span>
        </label>
        <label class="choice">
          <input type="radio" name="mode" value="optional" checked={chosen === "optional"} onChange={() => void choose("optional")} />
          <span>
            <strong>Proof optional</strong> — a user id sent without a proof is accepted, marked unverified. It never reaches a verified user's history and sees only what anonymous visitors
            see. For the time you are adding signing to your backend.
          </span>
        </label>
      </fieldset>
      {message}
    </section>
  );
}

function OriginsSection({ app, current }: { app: ConsoleState; current: App }) {
  const { save, message } = useSaver();
  const [draft, setDraft] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const setOrigins = (origins: string[]) => save(() => app.apps.update(current.id, { origins }));
  return (
    <section aria-labelledby="origins-title" class="card">
      <h2 id="origins-title">Allowed origins</h2>
      <p class="help">The sites whose pages may load the widget and talk to Parley. A page on any other origin is refused (and the server logs which origin, so you know what to add).</p>
      {current.origins.length === 0 ? (
        <p class="help">None yet: no site can use the widget.</p>
      ) : (
        <ul class="origins">
          {current.origins.map((o) => (
            <li key={o}>
              <code>{o}</code>
              <button type="button" class="danger-quiet" aria-label={`Remove ${o}`} onClick={() => void setOrigins(current.origins.filter((x) => x !== o))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          const origin = draft.trim();
          if (!origin) return input.current?.focus();
          if (await setOrigins([...current.origins, origin])) setDraft("");
        }}
      >
        <label for="new-origin" class="sr-only">
          Origin to allow
        </label>
        <input id="new-origin" ref={input} type="text" inputMode="url" spellcheck={false} autoComplete="off" placeholder="https://www.example.com" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
        <button type="submit">Add origin</button>
      </form>
      {message}
    </section>
  );
}

function AppSection({ app, current }: { app: ConsoleState; current: App }) {
  const { save, message } = useSaver();
  const [name, setName] = useState(current.name);
  const [hints, setHints] = useState(current.hints);
  useEffect(() => setHints(current.hints), [current.hints]);
  return (
    <section aria-labelledby="app-title" class="card">
      <h2 id="app-title">App</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void save(() => app.apps.update(current.id, { name }));
        }}
      >
        <label>
          Name
          <input value={name} maxLength={100} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Save name</button>
      </form>
      <label class="choice">
        <input
          type="checkbox"
          checked={hints}
          onChange={async (e) => {
            const on = (e.target as HTMLInputElement).checked;
            setHints(on);
            if (!(await save(() => app.apps.update(current.id, { hints: on })))) setHints(current.hints);
          }}
        />
        <span>
          <strong>Integration hints</strong> — a rejected proof's answer carries a sentence on its likeliest cause, for your developer's browser console. Turn off once your integration works: it tells
          anyone why their forged proof failed.
        </span>
      </label>
      {message}
    </section>
  );
}
