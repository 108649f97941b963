import { expect, test } from "bun:test";
import { join } from "node:path";
import { DATABASE_URL, REDIS_URL, tempDir } from "../support/services.ts";

const ROOT = join(import.meta.dir, "../..");

/** `supervisor start` as an operator runs it: it prints its edges, serves, and drains on SIGTERM. */
test("supervisor start serves every edge and SIGTERM drains it to a clean exit", async () => {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    DATA_DIR: tempDir("start"),
    LOG_LEVEL: "info",
    GATEWAY_PORT: "0",
    AGENT_PORT: "0",
    ADMIN_PORT: "0",
    CALLBACK_PORT: "0",
    INTERNAL_PORT: "0",
  };
  if (DATABASE_URL) env.DATABASE_URL = DATABASE_URL;
  if (REDIS_URL) Object.assign(env, { REDIS_URL, REDIS_PREFIX: `t${crypto.randomUUID().slice(0, 8)}:` });
  const child = Bun.spawn([process.execPath, "supervisor/cli.ts", "start"], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  const lines: string[] = [];
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  while (!lines.some((l) => l.includes("ready"))) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`start exited early: ${await new Response(child.stderr).text()}`);
    buffered += decoder.decode(value);
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    lines.push(...parts);
  }
  const urls = lines.filter((l) => /^\w+\s+http:\/\//.test(l)).map((l) => l.split(/\s+/)[1]!);
  expect(urls).toHaveLength(5);
  for (const url of urls) expect((await fetch(`${url}/healthz`)).status).toBe(200);

  child.kill("SIGTERM");
  expect(await child.exited).toBe(0);
  const rest = buffered + decoder.decode((await reader.read()).value ?? new Uint8Array());
  expect(rest).toContain("SIGTERM: draining");
  expect(await new Response(child.stderr).text()).toContain("node stopped");
  for (const url of urls) await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}, 30_000);
