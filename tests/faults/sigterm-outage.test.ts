import { afterAll, beforeAll, describe, expect } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { tempDir, waitFor } from "../support/services.ts";
import { CAN_RUN_FAULT_TESTS, faultTest } from "./fault-harness.ts";
import { PrivatePostgres, PrivateRedis } from "./private-services.ts";

/**
 * `supervisor start` as an operator runs it, on a Redis and a PostgreSQL of this file's own:
 * with one of them gone, SIGTERM still ends the node within DRAIN_TIMEOUT_MS, its drain
 * finished rather than cut off by the deadline.
 */
const ROOT = join(import.meta.dir, "../..");
const DRAIN_TIMEOUT_MS = 5000;

type StartedNode = { child: Subprocess<"ignore", "pipe", "pipe">; internal: string };

async function startNode(redis: PrivateRedis, postgres: PrivatePostgres): Promise<StartedNode> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    DATA_DIR: tempDir("sigterm"),
    LOG_LEVEL: "info",
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `s${crypto.randomUUID().slice(0, 8)}:`,
    DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
    ...Object.fromEntries(["GATEWAY_PORT", "AGENT_PORT", "ADMIN_PORT", "CALLBACK_PORT", "INTERNAL_PORT"].map((p) => [p, "0"])),
  };
  const child = Bun.spawn([process.execPath, "supervisor/cli.ts", "start"], { cwd: ROOT, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`start exited early: ${await new Response(child.stderr).text()}`);
    text += decoder.decode(value);
  }
  reader.releaseLock();
  const internal = text
    .split("\n")
    .find((l) => l.startsWith("internal"))!
    .split(/\s+/)[1]!;
  return { child, internal };
}

/** SIGTERM, then how long until the process is gone, its exit code, and whether its drain finished. */
async function terminate({ child }: StartedNode) {
  const sent = performance.now();
  child.kill("SIGTERM");
  const code = await child.exited;
  const exitMs = performance.now() - sent;
  const logs = await new Response(child.stderr).text();
  return { exitMs, code, drained: logs.includes("node stopped") };
}

const notReady = async (node: StartedNode, reason: string) => {
  const reply = await fetch(`${node.internal}/readyz`).catch(() => undefined);
  return reply?.status === 503 && JSON.stringify(await reply.json()).includes(reason);
};

describe("SIGTERM while a dependency is away", () => {
  let redis: PrivateRedis;
  let postgres: PrivatePostgres;

  beforeAll(async () => {
    if (CAN_RUN_FAULT_TESTS) [redis, postgres] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), postgres?.stop()]);
  }, 20_000);

  faultTest("Redis away: the node exits within the drain deadline", async () => {
    const node = await startNode(redis, postgres);
    try {
      await redis.down();
      await waitFor(() => notReady(node, "Redis does not answer"), { what: "the node to see Redis gone" });
      const { exitMs, code, drained } = await terminate(node);
      expect(code).toBe(0);
      expect(exitMs).toBeLessThan(DRAIN_TIMEOUT_MS + 1000);
      // the drain itself finished, not the deadline's cut
      expect(drained).toBe(true);
    } finally {
      node.child.kill("SIGKILL");
      await redis.up();
    }
  });

  faultTest("PostgreSQL away: the node exits within the drain deadline", async () => {
    const node = await startNode(redis, postgres);
    try {
      await postgres.down();
      await waitFor(() => notReady(node, "PostgreSQL"), { what: "the node to see PostgreSQL gone" });
      const { exitMs, code, drained } = await terminate(node);
      expect(code).toBe(0);
      expect(exitMs).toBeLessThan(DRAIN_TIMEOUT_MS + 1000);
      // the drain itself finished, not the deadline's cut
      expect(drained).toBe(true);
    } finally {
      node.child.kill("SIGKILL");
      await postgres.up();
    }
  });
});
