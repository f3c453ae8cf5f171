// Reads a server-sent event stream the way the widget does (eventsource-parser), for tests: the
// events in order, the keep-alive comments counted, and whether the server closed it.
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface EventReader {
  /** The next event; rejects once the stream closed with none left. */
  next(): Promise<EventSourceMessage>;
  /** Resolves once `n` keep-alive comments have arrived in all. */
  comments(n: number): Promise<void>;
  /** Resolves when the server closes the stream. */
  closed: Promise<void>;
  /** Leaves, as a client going away would. */
  cancel(): Promise<void>;
}

export function readEvents(res: Response): EventReader {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const queue: EventSourceMessage[] = [];
  let comments = 0;
  let done = false;
  let notify = () => {};
  const changed = () => new Promise<void>((resolve) => (notify = resolve));
  const parser = createParser({
    onEvent: (e) => {
      queue.push(e);
      notify();
    },
    onComment: () => {
      comments++;
      notify();
    },
  });
  const closed = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
    done = true;
    notify();
  })();
  return {
    async next() {
      while (!queue.length) {
        if (done) throw new Error("the stream closed");
        await changed();
      }
      return queue.shift()!;
    },
    async comments(n) {
      while (comments < n) {
        if (done) throw new Error("the stream closed");
        await changed();
      }
    },
    closed,
    cancel: () => reader.cancel(),
  };
}
