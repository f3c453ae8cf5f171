import { useEffect, useState } from "react";
import type { Claim } from "parley";
import { ParleyProvider, useParley, useUnreadCount } from "parley/react";
import { parleyIdentity, signIn } from "./backend.ts";

export function App({ host, appId }: { host: string; appId: string }) {
  // undefined while the session is being read: Parley loads once we know who is here.
  const [identity, setIdentity] = useState<Claim | null>();
  useEffect(() => void parleyIdentity().then(setIdentity), []);
  if (identity === undefined) return <p>Loading…</p>;

  const logIn = async () => {
    await signIn("ada");
    setIdentity(await parleyIdentity());
  };
  const logOut = async () => {
    await signIn(null);
    setIdentity(null);
  };
  return (
    <ParleyProvider host={host} appId={appId} identity={identity} settings={{ launcher: false, refreshIdentity: refresh }}>
      <header>
        <strong>Acme Notes</strong>
        {identity ? <button onClick={logOut}>Log out</button> : <button onClick={logIn}>Log in as Ada</button>}
        <HelpButton />
      </header>
      <main>
        <p>{identity ? "Signed in as Ada." : "Not signed in."}</p>
        <ChatStatus />
        <InvoiceQuestion />
      </main>
    </ParleyProvider>
  );
}

const refresh = async (): Promise<Claim> => (await parleyIdentity()) ?? Promise.reject(new Error("signed out"));

/** The app's own button (`launcher: false`), with the unread count beside it. */
function HelpButton() {
  const parley = useParley();
  const unread = useUnreadCount();
  return (
    <button onClick={() => parley.open()} aria-label={unread ? `Help, ${unread} unread` : "Help"}>
      Help{unread ? <span aria-hidden="true"> ({unread})</span> : null}
    </button>
  );
}

/** Opens the chat with a draft the visitor can edit and send. */
function InvoiceQuestion() {
  const parley = useParley();
  return <button onClick={() => parley.open({ message: "I have a question about invoice #1042" })}>Ask about my invoice</button>;
}

/** Whom Parley's server says this visitor is, from the typed `identity` event (once it has been asked). */
function ChatStatus() {
  const parley = useParley();
  const [status, setStatus] = useState("not asked yet");
  useEffect(() => parley.on("identity", (v) => setStatus(v.userId ? `${v.status} as ${v.userId}` : v.status)), [parley]);
  return <p role="status">Chat identity: {status}</p>;
}
