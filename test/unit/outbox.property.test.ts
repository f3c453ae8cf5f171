// Property tests of the outbox state machine: for any sequence of sends, server answers, retries,
// removals and reloads, nothing is lost, nothing is delivered twice, and memory matches storage.
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Outbox, type Deliver, type OutboxItem } from "../../widget/core/outbox.ts";
import { safeStorage } from "../../widget/core/storage.ts";

const KEY = "parley:app_prop:outbox";

type Op =
  | { kind: "add" }
  | { kind: "answer"; status: number }
  | { kind: "retry"; pick: number }
  | { kind: "remove"; pick: number }
  | { kind: "reload" }
  | { kind: "tick" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: "add" as const }),
  fc.constantFrom(201, 200, 0, 500, 503, 429, 400, 403, 413).map((status) => ({ kind: "answer" as const, status })),
  fc.nat(20).map((pick) => ({ kind: "retry" as const, pick })),
  fc.nat(20).map((pick) => ({ kind: "remove" as const, pick })),
  fc.constant({ kind: "reload" as const }),
  fc.constant({ kind: "tick" as const }),
);

afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

/** Lets every pending promise run (a delivery in flight finishes), without moving time. */
async function drain() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Lets every pending promise and (fake) timer run. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await vi.runOnlyPendingTimersAsync();
    await Promise.resolve();
  }
}

describe("outbox (property)", () => {
  it("never loses, never duplicates, and keeps storage and memory equal", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        localStorage.clear();
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
        const storage = safeStorage(() => localStorage);
        const answers: number[] = [];
        const delivered: string[] = [];
        const deliver: Deliver = async (item) => {
          const status = answers.shift() ?? 0; // no answer scripted: the network is down
          if (status >= 200 && status < 300) delivered.push(item.clientId);
          return { status };
        };
        let box = new Outbox(storage, KEY, deliver, () => 0.5);
        const added: string[] = [];
        const removed = new Set<string>();
        let n = 0;
        for (const o of ops) {
          const items = box.items.value;
          if (o.kind === "add") {
            const clientId = `c_${n++}`;
            added.push(clientId);
            box.add({ clientId, text: clientId, claim: null, visitorId: "v_1", createdAt: "" });
          } else if (o.kind === "answer") answers.push(o.status);
          else if (o.kind === "retry" && items.length) box.retry(items[o.pick % items.length]!.clientId);
          else if (o.kind === "remove" && items.length) {
            const id = items[o.pick % items.length]!.clientId;
            removed.add(id);
            box.remove(id);
          } else if (o.kind === "reload") {
            // A reload: the old page finishes what it had in flight, then a new one reads storage.
            await drain();
            box.stop();
            box = new Outbox(storage, KEY, deliver, () => 0.5);
            void box.flush();
          } else if (o.kind === "tick") await settle();
          await drain();
          const saved: OutboxItem[] = JSON.parse(localStorage.getItem(KEY) ?? "[]");
          expect(saved).toEqual(box.items.value);
        }
        // Then the network heals: every pending item goes through; failed ones wait for the visitor.
        answers.length = 0;
        answers.push(...Array(200).fill(201));
        box.kick();
        await settle();

        // Nothing delivered twice.
        expect(new Set(delivered).size).toBe(delivered.length);
        const left = new Map(box.items.value.map((i) => [i.clientId, i]));
        for (const id of added) {
          const fates = [delivered.includes(id), removed.has(id) && !delivered.includes(id), left.has(id)].filter(Boolean).length;
          // Exactly one fate: delivered, removed by the visitor, or still shown (failed, so it can be retried).
          expect(fates, id).toBe(1);
          if (left.has(id)) expect(left.get(id)!.state).toBe("failed");
        }
        box.stop();
        vi.useRealTimers();
      }),
      { numRuns: 300 },
    );
  });
});
