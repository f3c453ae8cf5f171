// vitest globalSetup of the "server-pg" project: one real PostgreSQL for the whole run.
import type { TestProject } from "vitest/node";
import { startPostgres } from "../../scripts/postgres.js";

export default async function setup(project: TestProject) {
  const pg: { url: string; stop(): void } = await startPostgres();
  project.provide("databaseUrl", pg.url);
  return () => pg.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | undefined;
  }
}
