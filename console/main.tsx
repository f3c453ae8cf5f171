// The console's entry: the state, then the page that renders it.
import { render } from "preact";
import { createConsole } from "./state/console.ts";
import { ConsoleApp } from "./ui/app.tsx";

const root = document.getElementById("console")!;
const app = createConsole();
app.start();
render(<ConsoleApp app={app} />, root);
