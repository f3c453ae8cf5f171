// Structured logs: one JSON object a line on stdout. Callers pass facts, never secrets or proofs.
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type Logger = (level: "info" | "warn" | "error", msg: string, fields?: LogFields) => void;

export const jsonLogger: Logger = (level, msg, fields) => {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n");
};
export const silentLogger: Logger = () => {};
