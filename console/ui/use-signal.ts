// The glue between the framework-free state and Preact: read a signal, re-render when it changes.
import { effect, type ReadonlySignal } from "@preact/signals-core";
import { useLayoutEffect, useState } from "preact/hooks";

export function useSignal<T>(source: ReadonlySignal<T>): T {
  const [, rerender] = useState(0);
  const value = source.peek();
  // Subscribed as the render commits, and compared with what was rendered: no change is missed.
  useLayoutEffect(
    () =>
      effect(() => {
        if (source.value !== value) rerender((n) => n + 1);
      }),
    [source, value],
  );
  return value;
}
