// Apps and their keys, kept in memory on embedded storage. There this process is the folder's only
// writer (storage/folder-lock.ts; the CLI goes through its socket), so what it read stays true until
// it writes it itself — and every such write forgets the app once it is done, so a revoked or new
// key counts from the very next request. PostgreSQL has other writers: there, nothing is kept.

export class AppCache<T> {
  private readonly entries = new Map<string, T>();
  private writes = 0;

  /** The app from memory, else loaded (and kept, when it exists: unknown ids are never kept, so nobody can fill the map). */
  async get(id: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const kept = this.entries.get(id);
    if (kept) return kept;
    const writes = this.writes;
    const found = await load();
    // A write that finished while this read was under way may have changed what it read: keep
    // nothing then, the next request reads again.
    if (found && writes === this.writes) this.entries.set(id, found);
    return found;
  }

  /** Call once a write to the app or its keys has finished. */
  forget(id: string) {
    this.writes++;
    this.entries.delete(id);
  }
}
