import { describe, expect } from "bun:test";
import { classifyFailure, neverWritten } from "../../actors/runtime/failure-class.ts";
import { closeRedis, openRedis } from "../../actors/runtime/redis-connection.ts";
import { redisTest, waitFor } from "../support/services.ts";

/**
 * A connection of `openRedis` whose socket is cut (CLIENT KILL: Redis itself stays up, so
 * the connection is back at once). ioredis alone would drop the commands it had sent without
 * settling them once it reconnects; a blocked read would then wait for good.
 */
describe("Redis connections losing their socket", () => {
  redisTest("a read blocked when its connection is cut fails at once, as an outcome unknown, and the connection serves again", async (url) => {
    const prefix = `conn-${crypto.randomUUID().slice(0, 8)}:`;
    const reader = openRedis(url, { role: "test reader", keyPrefix: prefix });
    const admin = openRedis(url, { role: "test admin", keyPrefix: prefix });
    try {
      await admin.xgroup("CREATE", "s", "g", "0", "MKSTREAM");
      const id = Number(await reader.client("ID"));
      const started = performance.now();
      const read = reader.xreadgroup("GROUP", "g", "c", "BLOCK", 30_000, "STREAMS", "s", ">").then(
        () => null,
        (error: unknown) => error,
      );
      await waitFor(async () => String(await admin.client("LIST", "ID", id)).includes("cmd=xreadgroup"), { what: "the read to block" });
      await admin.client("KILL", "ID", id);

      const error = await read;
      expect(performance.now() - started).toBeLessThan(5000);
      expect(error).toBeInstanceOf(Error);
      expect(classifyFailure(error)).toBe("dependency");
      expect(neverWritten(error)).toBe(false);
      await waitFor(() => reader.status === "ready", { what: "the connection back" });
      expect(await reader.xlen("s")).toBe(0);
    } finally {
      await admin.del("s");
      await Promise.all([closeRedis(reader), closeRedis(admin)]);
    }
  });
});
