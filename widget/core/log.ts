// The only way the widget talks to the host page's developer: a console.warn, never a throw.
// A `detail` goes to the console as its own argument, never through String(): a host may throw
// values whose toString itself throws.
export const warn = (message: string, detail?: unknown): void => {
  if (detail === undefined) console.warn("[Parley] " + message);
  else console.warn("[Parley] " + message, detail);
};
