// The only glue between the framework-free core and Preact: read a signal, re-render when it
// changes. A few lines instead of @preact/signals' Preact integration (about 1 KB gzip): the
// widget renders a handful of components and needs nothing more.
import { effect, type ReadonlySignal } from "@preact/signals-core";
import { useLayoutEffect, useState } from "preact/hooks";

export function useSignal<T>(source: ReadonlySignal<T>): T {
  const [, rerender] = useState(0);
  const value = source.peek();
  // Subscribed as the render commits (not after paint), and checked against what was rendered,
  // so a change made in between — e.g. Parley('open') right after mount — is never missed.
  useLayoutEffect(
    () =>
      effect(() => {
        if (source.value !== value) rerender((n) => n + 1);
      }),
    [source, value],
  );
  return value;
}
