// The only way the widget talks to the host page's developer: a console.warn, never a throw.
export const warn = (message: string): void => console.warn("[Parley] " + message);
