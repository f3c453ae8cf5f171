// When the browser has nothing better to do (after the host's `load`, in practice): what the
// launcher's first paint does not need waits for it. Returns how to cancel.
export function idle(fn: () => void): () => void {
  if (typeof requestIdleCallback === "function") {
    // A page that is never idle still gets it, a few seconds late.
    const id = requestIdleCallback(fn, { timeout: 3000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 1);
  return () => clearTimeout(id);
}
