// Who the operator is talking to, as far as it is proven: a verified user's attributes (what their
// latest verified claim signed) kept apart from hints (a user hash's name and email, unproven);
// for anyone else, that nothing about them is proven.
import type { Inbox } from "../state/inbox.ts";
import type { InboxConversation } from "../../contract/operator.ts";
import { fullTime } from "./labels.tsx";
import { useSignal } from "./use-signal.ts";

export function ContactPanel({ inbox, conversation }: { inbox: Inbox; conversation: InboxConversation | undefined }) {
  const state = useSignal(inbox.contact);
  const c = conversation?.contact;
  return (
    <aside id="contact-panel" class="contact" aria-labelledby="contact-title">
      <h2 id="contact-title">Contact</h2>
      {!c ? null : c.verified && c.userId ? (
        <>
          <p>
            <span class="badge verified">Verified</span> user <code>{c.userId}</code>
          </p>
          {state.state === "ready" ? (
            <>
              <h3>Verified attributes</h3>
              <Values values={state.contact.attributes} empty="None: the latest proof was a user hash, which proves the id alone." />
              <p class="help">Signed by your backend; proven {fullTime(state.contact.lastVerifiedAt)}.</p>
              <h3>Hints (unverified)</h3>
              <Values values={state.contact.hints} empty="None." />
              <p class="help">A user hash's name and email, as the page gave them: never used to decide anything.</p>
            </>
          ) : state.state === "loading" ? (
            <p class="help">Loading…</p>
          ) : state.state === "failed" ? (
            <p class="error">{state.message}</p>
          ) : (
            <p class="help">No verified attributes recorded yet.</p>
          )}
          <p class="help">Everything this user wrote while verified, on any device — and what they wrote anonymously before signing in — is in this one conversation.</p>
        </>
      ) : c.userId ? (
        <>
          <p>
            <span class="badge unverified">Unverified</span> claims to be <code>{c.userId}</code>
          </p>
          <p class="help">A user id without a proof (the app's mode is optional): nothing about this visitor is proven, and they never see a verified user's history.</p>
        </>
      ) : (
        <>
          <p>
            <span class="badge anonymous">Anonymous</span> visitor <code>{c.visitorId}</code>
          </p>
          <p class="help">Nothing about this visitor is proven. A message whose proof failed shows, beside it, the id it claimed.</p>
        </>
      )}
    </aside>
  );
}

function Values({ values, empty }: { values: Record<string, unknown>; empty: string }) {
  const names = Object.keys(values);
  if (names.length === 0) return <p class="help">{empty}</p>;
  return (
    <dl class="values">
      {names.map((name) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{typeof values[name] === "string" ? (values[name] as string) : JSON.stringify(values[name])}</dd>
        </div>
      ))}
    </dl>
  );
}
