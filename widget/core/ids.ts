// Random ids from getRandomValues, which (unlike randomUUID) also exists on plain-http pages.
export const randomId = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
