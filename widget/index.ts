// The widget bundle's entry: the one module with an effect, booting against the page it runs in.
import { boot } from "./core/boot.ts";
import { mount } from "./ui/mount.tsx";

boot(window as never, mount);
