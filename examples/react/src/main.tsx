import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";

// Set when the example is built: where Parley is served, and the app (see ../README.md).
const host = import.meta.env.VITE_PARLEY_HOST as string;
const appId = import.meta.env.VITE_PARLEY_APP_ID as string;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App host={host} appId={appId} />
  </StrictMode>,
);
