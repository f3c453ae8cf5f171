// `parley/react`: the provider and the hooks as an app uses them, and what the types refuse.
import type { Claim } from "parley";
import { ParleyProvider, useParley, useUnreadCount, type ParleyApi } from "parley/react";

export function App({ user }: { user: { parley: Claim } | null }) {
  return (
    <ParleyProvider host="https://parley.example.com" appId="app_1" identity={user?.parley ?? null} settings={{ launcher: false, nonce: "r4nd0m", theme: "dark" }}>
      <Help />
    </ParleyProvider>
  );
}

function Help() {
  const parley: ParleyApi = useParley();
  const unread: number = useUnreadCount();
  return <button onClick={() => parley.open({ message: `Help (${unread} unread)` })}>Help</button>;
}

export function Misuses() {
  const parley = useParley();
  // @ts-expect-error a tab that does not exist
  parley.open({ tab: "shop" });
  // @ts-expect-error the unread payload is `{ count }`
  parley.on("unread", (count: number) => count);
  // @ts-expect-error the count is a number
  const text: string = useUnreadCount();
  return (
    <>
      {text}
      {/* @ts-expect-error the provider needs the host */}
      <ParleyProvider appId="app_1" />
      {/* @ts-expect-error an identity of no proof's shape */}
      <ParleyProvider host="https://parley.example.com" appId="app_1" identity={{ id: "u_42" }} />
      {/* @ts-expect-error the app id is the provider's own prop, not a setting */}
      <ParleyProvider host="https://parley.example.com" appId="app_1" settings={{ appId: "app_2" }} />
      {/* @ts-expect-error a setting of the wrong type */}
      <ParleyProvider host="https://parley.example.com" appId="app_1" settings={{ launcher: "no" }} />
    </>
  );
}
