// The console renders signals the way the widget does: one glue for both (widget/ui/use-signal.ts).
export { useSignal } from "../../widget/ui/use-signal.ts";
