// A new app: a name and the site it is for. Keys and the rest are in its Settings.
import { useState } from "preact/hooks";
import type { ConsoleState } from "../state/console.ts";

export function NewAppScreen({ app }: { app: ConsoleState }) {
  const [name, setName] = useState("");
  const [origin, setOrigin] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const none = app.apps.list.peek()?.length === 0;
  return (
    <div class="settings">
      <h1 tabIndex={-1}>New app</h1>
      {none && <p>There is no app on this server yet. An app is one site (or product) with its own widget, inbox, keys and settings.</p>}
      <form
        class="card stack"
        onSubmit={async (e) => {
          e.preventDefault();
          setProblem(undefined);
          try {
            const created = await app.apps.create(name.trim(), origin.trim() ? [origin.trim()] : []);
            app.router.navigate({ screen: "settings", appId: created.id });
          } catch (err) {
            setProblem((err as Error).message);
          }
        }}
      >
        <label>
          Name
          <input value={name} required maxLength={100} placeholder="My site" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Site origin (optional)
          <input type="text" inputMode="url" spellcheck={false} value={origin} placeholder="https://www.example.com" aria-describedby="origin-help" onInput={(e) => setOrigin((e.target as HTMLInputElement).value)} />
        </label>
        <p id="origin-help" class="help">
          Where the widget will run. You can add more in Settings.
        </p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="primary">
          Create app
        </button>
      </form>
    </div>
  );
}
