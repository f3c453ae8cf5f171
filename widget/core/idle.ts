// When the browser has nothing better to do (after the host's `load`, in practice): what the
// launcher's first paint does not need waits for it. Returns how to cancel.
export function idle(fn: () => void): () => void {
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(fn);
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 1);
  return () => clearTimeout(id);
}
