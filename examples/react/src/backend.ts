// This app's own backend. Here, the Parley demo site's: it keeps who is signed in (a cookie) and
// signs that user for Parley at /parley-identity — a real app's server does the same with its key.
import type { Claim } from "parley";

export async function signIn(user: "ada" | null): Promise<void> {
  await fetch("/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }) });
}

/** The signed-in user's proof, or null. Also `refreshIdentity`: asked again when a token runs out. */
export async function parleyIdentity(): Promise<Claim | null> {
  const res = await fetch("/parley-identity");
  return ((await res.json()) as { identity: Claim | null }).identity;
}
