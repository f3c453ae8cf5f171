// A throwaway PostgreSQL for the tests, on loopback: $PARLEY_TEST_DATABASE_URL when set, else a
// fresh cluster in a temporary folder from the machine's PostgreSQL binaries (Debian's
// `postgresql` is installed first when there are none and we run as root with apt). It fails
// loudly rather than letting the PostgreSQL half of the suite be skipped.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

function findBinDir() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

function installPostgres() {
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    throw new Error("PostgreSQL is not installed: install it (Debian: apt-get install postgresql) or set PARLEY_TEST_DATABASE_URL");
  }
  process.stderr.write("No PostgreSQL found: installing Debian's postgresql package…\n");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env });
}

/** A TCP port on loopback that nothing listens on now (for a server about to start). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** @returns {Promise<{ url: string, stop: () => void }>} */
export async function startPostgres() {
  if (process.env.PARLEY_TEST_DATABASE_URL) return { url: process.env.PARLEY_TEST_DATABASE_URL, stop() {} };
  let bin = findBinDir();
  if (!bin) {
    installPostgres();
    bin = findBinDir();
    if (!bin) throw new Error("PostgreSQL was installed but initdb was not found under /usr/lib/postgresql");
  }
  const dir = mkdtempSync(join(tmpdir(), "parley-pg-"));
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd, args) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(file, argv, { stdio: ["ignore", "ignore", "pipe"] });
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "parley", "-E", "UTF8", "--no-sync"]);
  run("pg_ctl", ["-D", join(dir, "data"), "-l", join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start"]);
  return {
    url: `postgres://parley@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
