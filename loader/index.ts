// The loader bundle's entry: runs once, against the <script> that is loading it.
import { install } from "./loader.ts";

install(window as never, document, document.currentScript as HTMLScriptElement | null);
