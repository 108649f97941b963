import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawnSync } from "bun";
import { waitFor } from "../support/services.ts";

/**
 * A Redis and a PostgreSQL server of the fault tests' own, on free loopback ports, never the
 * machine's shared ones: the tests kill and restart them. Found on PATH; when either binary is
 * missing the fault tests are skipped with that reason (a failure under TEST_REQUIRE_SERVICES=1).
 */
export const MISSING_BINARIES = ["redis-server", "initdb", "postgres", "pg_isready"].filter((b) => !Bun.which(b));

/** A port nothing listens on now: bound to port 0 and let go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Redis without persistence: a restart comes back empty, as one that lost its data. */
export class PrivateRedis {
  private process: Subprocess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.up();
    return redis;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up() {
    this.process = Bun.spawn(["redis-server", "--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdout: "ignore", stderr: "ignore" });
    await waitFor(
      () =>
        spawnSync(["redis-cli", "-p", String(this.port), "ping"])
          .stdout.toString()
          .includes("PONG"),
      { what: "the private Redis", timeoutMs: 10_000 },
    );
  }

  /** Gone at once, as a crash or a cut cable: SIGKILL. */
  async down() {
    this.process?.kill("SIGKILL");
    await this.process?.exited;
    this.process = undefined;
  }

  async stop() {
    await this.down();
  }
}

const asRoot = process.getuid?.() === 0;
const asPostgres = (command: string[]) => (asRoot ? ["runuser", "-u", "postgres", "--", ...command] : command);

/** A PostgreSQL cluster in a temp dir (initdb), served on a free port and a socket dir of its own. */
export class PrivatePostgres {
  private process: Subprocess | undefined;
  private constructor(
    readonly port: number,
    private dir: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), "casino-fault-pg-"));
    if (asRoot) {
      const ids = spawnSync(["id", "-u", "postgres"]).stdout.toString().trim();
      const gid = spawnSync(["id", "-g", "postgres"]).stdout.toString().trim();
      chownSync(dir, Number(ids), Number(gid));
    }
    const init = spawnSync(asPostgres(["initdb", "-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]), { stdout: "pipe", stderr: "pipe" });
    if (init.exitCode !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);
    const pg = new PrivatePostgres(await freePort(), dir);
    await pg.up();
    return pg;
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async up() {
    const command = ["postgres", "-D", join(this.dir, "data"), "-k", this.dir, "-p", String(this.port), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"];
    this.process = Bun.spawn(asPostgres(command), { stdout: "ignore", stderr: "ignore" });
    await waitFor(() => spawnSync(["pg_isready", "-h", "127.0.0.1", "-p", String(this.port), "-q"]).exitCode === 0, { what: "the private PostgreSQL", timeoutMs: 15_000 });
  }

  /**
   * Gone at once: an immediate shutdown (SIGQUIT to the postmaster, by the pid in its pid
   * file), which ends every session without a checkpoint, as a crash; the next start recovers.
   */
  async down() {
    const pidFile = join(this.dir, "data", "postmaster.pid");
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
      if (pid > 0) process.kill(pid, "SIGQUIT");
    }
    await this.process?.exited;
    this.process = undefined;
  }

  async stop() {
    await this.down();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
