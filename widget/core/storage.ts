// localStorage that never throws: disabled, full or missing storage degrades to memory for this page.
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function safeStorage(getBacking: () => Storage | undefined): KeyValue {
  const memory = new Map<string, string>();
  let backing: Storage | undefined;
  try {
    backing = getBacking();
  } catch {
    backing = undefined;
  }
  return {
    get(key) {
      try {
        const stored = backing?.getItem(key);
        if (stored != null) return stored;
      } catch {
        /* fall back to memory */
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      try {
        backing?.setItem(key, value);
      } catch {
        /* quota or disabled: memory still holds it for this page */
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        backing?.removeItem(key);
      } catch {
        /* nothing to do */
      }
    },
  };
}

export function readJson<T>(store: KeyValue, key: string): T | undefined {
  const text = store.get(key);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
