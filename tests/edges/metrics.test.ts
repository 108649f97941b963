import { afterAll, beforeAll, expect, test } from "bun:test";
import { z } from "zod";
import type { ActorKind } from "../../actors/runtime/actor.ts";
import { ok } from "../../actors/runtime/errors.ts";
import { createEdges, type EdgeApps } from "../../edges/index.ts";
import { edgeContextOf, type TestNode, testNodeContext } from "../support/node-context.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";

// answers "ping"; crashes once on "boom", then recovers
let crashed = false;
const echo: ActorKind = {
  domain: "echo",
  scope: "brand",
  messages: { ping: z.object({}), boom: z.object({}) },
  create: () => {
    return {
      recall: async () => new Map(),
      receive: async (batch) =>
        batch.map((m) => {
          if (m.type === "boom" && !crashed) {
            crashed = true;
            throw new Error("boom");
          }
          return ok({ pong: true });
        }),
    };
  },
};

let node: TestNode;
let apps: EdgeApps;
beforeAll(async () => {
  node = await testNodeContext({ kinds: [echo], env: { RESTART_BACKOFF_MS: "1" } });
  apps = createEdges(edgeContextOf(node));
});
afterAll(() => node.close());

const scrape = () => apps.internal.request("/metrics", { headers: { authorization: `Bearer ${node.config.secrets.service}` } });

test("/metrics on the internal edge needs the service token and is absent elsewhere", async () => {
  expect((await apps.internal.request("/metrics")).status).toBe(401);
  for (const edge of ["gateway", "agent", "admin", "callback"] as const) {
    expect((await apps[edge].request("http://nobody.test/metrics")).status).toBe(404);
  }
});

test("/metrics has HTTP latency, turn latency, restarts and the mailbox gauges", async () => {
  const brand = uniqueBrand("m");
  const address = await node.system.host("echo", brand);
  expect(await node.system.ask(address, "ping", {})).toEqual({ pong: true });
  expect(await node.system.ask(address, "boom", {})).toEqual({ pong: true });
  await apps.callback.request("/healthz");
  await apps.callback.request("/nowhere/42", { method: "PROPFIND" });

  // a reply goes out before its ack: over Redis the last ack may still be on its way
  const text = await waitFor(
    async () => {
      const res = await scrape();
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const body = await res.text();
      return body.includes('mailbox_pending{domain="echo"} 0') ? body : undefined;
    },
    { what: "the echo mailbox to have nothing pending" },
  );
  expect(text).toContain('http_request_seconds_count{edge="callback",method="GET",status="200"}');
  expect(text).toContain('http_request_seconds_count{edge="callback",method="OTHER",status="404"} 1');
  expect(text).not.toContain("nowhere");
  expect(text).toMatch(/actor_turn_seconds_count\{domain="echo"\} [1-9]/);
  expect(text).toContain(`actor_restarts_total{domain="echo",brand="${brand}"} 1`);
  expect(text).toContain('mailbox_lag{domain="echo"} 0');
  expect(text).toContain('mailbox_pending{domain="echo"} 0');
  expect(text).toContain('mailbox_dead_letters{domain="echo"} 0');
});

test("mailbox lag is summed per domain over the hosted mailboxes at scrape time", async () => {
  const [a, b] = [uniqueBrand("lag"), uniqueBrand("lag")];
  await node.system.host("echo", a);
  await node.system.host("echo", b);
  // a draining node stops consuming: what arrives now waits undelivered
  await node.system.drain();
  for (let i = 0; i < 2; i++) await node.system.tell(`echo@${a}`, "ping", {});
  for (let i = 0; i < 3; i++) await node.system.tell(`echo@${b}`, "ping", {});
  await node.system.tell(`echo@${uniqueBrand("elsewhere")}`, "ping", {});
  expect(await (await scrape()).text()).toContain('mailbox_lag{domain="echo"} 5');
});
