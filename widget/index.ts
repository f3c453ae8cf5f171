// The widget's first chunk: the one module with an effect, booting against the page it runs in.
// It holds the core and the launcher; the panel is a lazy chunk (ui/panel.tsx).
import { boot } from "./core/boot.ts";
import { mount } from "./ui/mount.ts";

boot(window as never, mount);
