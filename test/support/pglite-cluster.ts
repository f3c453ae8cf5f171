// vitest globalSetup of the mutation runs on storage (vitest.mutation.config.ts): one fresh
// embedded cluster, made once per Stryker test runner and saved to a temporary file. Each test
// file's database starts from it (~1 s) instead of running initdb (~3 s), which a mutant would
// pay again for every file whose tests cover it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const seed = new PGlite();
  await seed.waitReady;
  const dump = await seed.dumpDataDir("none");
  await seed.close();
  const dir = mkdtempSync(join(tmpdir(), "parley-cluster-"));
  const file = join(dir, "cluster.tar");
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide("pgliteCluster", file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    /** A fresh embedded cluster's data folder (a tar file) to start each test database from. */
    pgliteCluster: string | undefined;
  }
}
