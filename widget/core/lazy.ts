// A chunk fetched on first need and shared by every later one. A failed fetch (offline, a deploy
// in between) is forgotten, so the next call tries again rather than failing for the page's life.
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load().catch((err: unknown) => ((loading = undefined), Promise.reject(err))));
}
