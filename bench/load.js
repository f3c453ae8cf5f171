// One load generator, in its own process so that it never shares an event loop with a server.
// Reads { url, appId, claims, connections, duration } as JSON on stdin; prints the result as JSON.
// Bodies go as the widget sends them: JSON text with text/plain (no preflight to skip over loopback,
// but the same parsing path).
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { url, appId, claims, connections, duration, visitors } = JSON.parse(input);

const result = await autocannon({
  url,
  connections,
  duration,
  requests: [
    {
      method: "POST",
      path: `/v1/apps/${appId}/messages`,
      headers: { "content-type": "text/plain;charset=UTF-8" },
      setupRequest: (req) => {
        // One visitor per user, each row its own (`visitors`): a visitor's anonymous thread is not
        // folded into a user's by the next row, which would measure sign-ins rather than messages.
        const i = Math.floor(Math.random() * claims.length);
        const body = { visitorId: `v_bench_${visitors}_${i}`, clientId: `c_${randomBytes(12).toString("hex")}`, text: "How do I export my data?", identity: claims[i] ?? undefined };
        return { ...req, body: JSON.stringify(body) };
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ ok: result["2xx"], seconds: result.duration, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts }));
