import { expect, test } from "bun:test";
import { SecretBox, UpstreamPolicy } from "../../actors/recon/index.ts";
import { IntakeLoops } from "../../actors/recon/intake-loops.ts";
import { fail, type Outcome, ok } from "../../actors/runtime/errors.ts";
import { createLogger } from "../../actors/runtime/log.ts";
import type { Messenger } from "../../actors/runtime/messenger.ts";
import { waitFor } from "../support/services.ts";
import { FakeTelegram } from "./fake-telegram.ts";
import { FAST_BACKOFF } from "./recon-fixture.ts";

/** recon@brand as the loops see it: its sources, after `busyFor` refusals; what loops tell it is kept. */
function reconAnswering(items: unknown[], busyFor: number) {
  const told: { type: string; body: any }[] = [];
  let asked = 0;
  const messenger: Messenger = {
    askOutcome: async (_address, type, body): Promise<Outcome> => {
      if (type === "intakeSources") return ++asked <= busyFor ? fail("unavailable", "recon is waiting for its store") : ok({ items });
      told.push({ type, body });
      return ok({ stored: [] });
    },
    tell: async (_address, type, body) => void told.push({ type, body }),
    runs: () => true,
    degradation: () => null,
  };
  return { messenger, told, asked: () => asked };
}

test("a node whose recon could not list its sources at first starts their loops when it can; unhosted, they stop", async () => {
  const bot = new FakeTelegram();
  const secrets = new SecretBox("k".repeat(40));
  const source = {
    id: "telegram-1",
    kind: "telegram",
    secret: await secrets.seal(bot.token, "acme", "telegram-1"),
    secretVersion: 1,
    settings: { chatIds: [], deviceIdens: [], senders: [], apiUrl: bot.url },
    cursor: null,
  };
  const recon = reconAnswering([source], 2);
  const loops = new IntakeLoops({ system: recon.messenger, log: createLogger("silent"), secrets, upstreams: new UpstreamPolicy(["127.0.0.1"]) }, FAST_BACKOFF);
  try {
    await loops.host("acme");
    await waitFor(() => loops.running("acme").length === 1, { what: "the loop to start after the refusals" });
    expect(recon.asked()).toBe(3);
    await waitFor(() => recon.told.some((m) => m.type === "loopStatus" && m.body.connected), { what: "the loop to reach the bot" });
    await loops.unhost("acme");
    expect(loops.running("acme")).toEqual([]);
    // a source change for a brand the node no longer hosts starts nothing
    await loops.sync("acme");
    expect(loops.running("acme")).toEqual([]);
  } finally {
    await loops.stop();
    bot.stop();
  }
});

test("a source naming a host outside the public services and the operator's list gets no loop: its token goes nowhere", async () => {
  let hits = 0;
  using elsewhere = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => {
      hits++;
      return Response.json({ ok: true, result: [] });
    },
  });
  const secrets = new SecretBox("k".repeat(40));
  const source = {
    id: "telegram-2",
    kind: "telegram",
    secret: await secrets.seal("123456:secret-bot-token-abcdef", "acme", "telegram-2"),
    secretVersion: 1,
    settings: { chatIds: [], deviceIdens: [], senders: [], apiUrl: `http://localhost:${elsewhere.port}` },
    cursor: null,
  };
  const recon = reconAnswering([source], 0);
  const loops = new IntakeLoops({ system: recon.messenger, log: createLogger("silent"), secrets, upstreams: new UpstreamPolicy(["127.0.0.1"]) }, FAST_BACKOFF);
  try {
    await loops.host("acme");
    const reported = await waitFor(() => recon.told.find((m) => m.type === "loopStatus"), { what: "the source's refusal to be reported" });
    expect(reported.body).toMatchObject({ sourceId: "telegram-2", connected: false, error: expect.stringContaining("RECON_UPSTREAM_HOSTS") });
    expect(JSON.stringify(reported.body)).not.toContain("secret-bot-token");
    expect(loops.running("acme")).toEqual([]);
    expect(hits).toBe(0);
  } finally {
    await loops.stop();
  }
});
