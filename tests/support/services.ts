import { test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CentralStore, openCentralStore } from "../../actors/runtime/central-store.ts";

/**
 * What the test run talks to. Embedded by default (PGlite, in-memory mailboxes); with
 * DATABASE_URL / REDIS_URL set, the real servers. With TEST_REQUIRE_SERVICES=1 a test that
 * needs a service that is not configured fails instead of being skipped.
 */
export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const REDIS_URL = process.env.REDIS_URL || undefined;
export const REQUIRE_SERVICES = process.env.TEST_REQUIRE_SERVICES === "1";

let shared: Promise<CentralStore> | undefined;

/** One central store per test process (PGlite starts in seconds): isolate tests by brand. */
export function testStore(): Promise<CentralStore> {
  shared ??= (async () => {
    const store = await openCentralStore({ databaseUrl: DATABASE_URL, dataDir: tempDir("central") });
    await store.migrate();
    return store;
  })();
  return shared;
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `casino-${label}-`));
}

/** A brand id no other test (or earlier run against the same servers) uses. */
export function uniqueBrand(prefix = "t"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * `test` for a case that needs Redis: skipped when REDIS_URL is unset, unless services are
 * required, then it fails saying so.
 */
export function redisTest(name: string, fn: (redisUrl: string) => Promise<void> | void, timeout?: number) {
  if (REDIS_URL) return test(name, () => fn(REDIS_URL!), timeout);
  if (REQUIRE_SERVICES)
    return test(name, () => {
      throw new Error("TEST_REQUIRE_SERVICES=1 but REDIS_URL is not set");
    });
  return test.skip(name, () => {});
}

/** `test` for a case that needs the real PostgreSQL server (not PGlite). */
export function postgresTest(name: string, fn: (databaseUrl: string) => Promise<void> | void, timeout?: number) {
  if (DATABASE_URL) return test(name, () => fn(DATABASE_URL!), timeout);
  if (REQUIRE_SERVICES)
    return test(name, () => {
      throw new Error("TEST_REQUIRE_SERVICES=1 but DATABASE_URL is not set");
    });
  return test.skip(name, () => {});
}

/** Wait for a condition instead of sleeping. */
export async function waitFor<T>(probe: () => T | Promise<T>, options: { timeoutMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "condition"}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
