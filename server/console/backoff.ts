// Wrong operator tokens, slowed down per client address: after the n-th wrong token in a row, that
// address may not try again for 2^(n-1) seconds (1, 2, 4, … up to MAX_WAIT_S) — a typo costs a
// second, a guessing script gets a few hundred guesses a day. While an address waits, its attempts
// are refused without looking at the token (a right one too: otherwise waiting would only hide the
// answer, not stop the guess). A right token clears the address's record. Pure: the clock is
// passed in; nothing here knows HTTP.

export const MAX_WAIT_S = 300;
/** An address's record is forgotten this long after its last wrong token. */
const FORGET_AFTER_S = 3600;
/** Addresses tracked at most; past this, the least recently failed is forgotten first. */
const MAX_TRACKED = 10_000;

interface Failures {
  failures: number;
  /** Seconds since the epoch (fractional) before which this address may not try again. */
  until: number;
  last: number;
}

export class SignInBackoff {
  // Insertion order is the order of last failure: a failure re-inserts its address.
  private readonly addresses = new Map<string, Failures>();

  /** Seconds this address must still wait before it may try a token; 0: it may try now. */
  wait(address: string, now: number): number {
    const record = this.addresses.get(address);
    if (!record) return 0;
    if (now - record.last > FORGET_AFTER_S) {
      this.addresses.delete(address);
      return 0;
    }
    return Math.max(0, record.until - now);
  }

  /** A wrong token from this address; the seconds it must now wait. */
  failed(address: string, now: number): number {
    const previous = this.addresses.get(address);
    const failures = previous && now - previous.last <= FORGET_AFTER_S ? previous.failures + 1 : 1;
    const waitS = Math.min(2 ** (failures - 1), MAX_WAIT_S);
    this.addresses.delete(address);
    this.addresses.set(address, { failures, until: now + waitS, last: now });
    while (this.addresses.size > MAX_TRACKED) this.addresses.delete(this.addresses.keys().next().value!);
    return waitS;
  }

  /** A right token from this address: its record is cleared. */
  succeeded(address: string) {
    this.addresses.delete(address);
  }

  /** How many addresses are tracked (for tests). */
  get size() {
    return this.addresses.size;
  }
}
