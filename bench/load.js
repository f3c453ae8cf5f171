// One load generator, in its own process so that two of them do not share one event loop.
// Reads { url, appId, claims, connections, duration } as JSON on stdin; prints the result as JSON.
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { url, appId, claims, connections, duration } = JSON.parse(input);
const timing = { verify: 0, total: 0 };

const result = await autocannon({
  url,
  connections,
  duration,
  requests: [
    {
      method: "POST",
      path: `/v1/apps/${appId}/messages`,
      headers: { "content-type": "application/json" },
      setupRequest: (req) => {
        // The same visitors (one per user) in every row, so rows differ only by the claim.
        const i = Math.floor(Math.random() * claims.length);
        const body = { visitorId: `v_bench_visitor_${i}`, clientId: `c_${randomBytes(12).toString("hex")}`, text: "How do I export my data?", identity: claims[i] ?? undefined };
        return { ...req, body: JSON.stringify(body) };
      },
      onResponse: (_status, _body, _ctx, headers) => {
        const m = /verify;dur=([\d.]+), total;dur=([\d.]+)/.exec(String(headers?.["server-timing"] ?? ""));
        if (m) {
          timing.verify += Number(m[1]);
          timing.total += Number(m[2]);
        }
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors, timing }));
