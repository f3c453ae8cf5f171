// Signing in: the operator token, sent once; the server answers with a session cookie this page
// cannot read. Nothing is written to the page's storage.
import { useRef } from "preact/hooks";
import type { ConsoleState } from "../state/console.ts";
import { useSignal } from "./use-signal.ts";

export function SignIn({ app }: { app: ConsoleState }) {
  const problem = useSignal(app.session.problem);
  const busy = useSignal(app.session.busy);
  const input = useRef<HTMLInputElement>(null);
  return (
    <main class="sign-in">
      <h1>Parley console</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = await app.auth.signIn(input.current!.value);
          if (ok) input.current && (input.current.value = "");
          else input.current?.focus();
        }}
      >
        {/* For password managers: the token is the password of a user named "operator". */}
        <input type="text" name="username" value="operator" autocomplete="username" hidden readOnly />
        <label for="token">Operator token</label>
        <input id="token" ref={input} type="password" name="token" autocomplete="current-password" required aria-describedby="token-help" aria-invalid={problem ? "true" : undefined} />
        <p id="token-help" class="help">
          The value of <code>PARLEY_ADMIN_TOKEN</code> on this server. It is sent once: the console then holds a session cookie, never the token.
        </p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
