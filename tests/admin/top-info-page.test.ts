import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { walletClient } from "../../actors/wallet/index.ts";
import type { EdgeServer } from "../../edges/index.ts";
import { REQUIRE_SERVICES, tempDir, waitFor } from "../support/services.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUT = join(import.meta.dir, "..", "out");
const available = existsSync(CHROMIUM);
// without Chromium the test is skipped, saying why; with TEST_REQUIRE_SERVICES=1 it fails instead
const chromiumTest = available || REQUIRE_SERVICES ? test : test.skip;
if (!available) console.warn(`top-info page test ${REQUIRE_SERVICES ? "fails" : "skipped"}: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);

let bo: BackOffice;
let admin: EdgeServer;
beforeAll(async () => {
  bo = await backOffice();
  admin = bo.serve().find((s) => s.name === "admin")!;
}, 60_000);
afterAll(() => bo.close());

/** Headless Chromium on a page; returns what it printed (the DOM with --dump-dom). */
async function chromium(url: string, mode: string[]): Promise<string> {
  if (!available) throw new Error(`TEST_REQUIRE_SERVICES=1 but there is no Chromium at ${CHROMIUM}`);
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    `--user-data-dir=${tempDir("chromium")}`,
    // let the page's socket deliver before the DOM is dumped or the shot taken
    "--virtual-time-budget=3000",
    "--window-size=1100,420",
    ...mode,
    url,
  ];
  const proc = Bun.spawn([CHROMIUM, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  if (code !== 0) throw new Error(`chromium exited ${code}: ${await new Response(proc.stderr).text()}`);
  return out;
}

describe("top-info page in headless Chromium", () => {
  chromiumTest(
    "the page opens /ws with a staff token and shows the brand's counters; a screenshot is saved",
    async () => {
      const [a] = bo.brands;
      for (const amount of [10_000, 20_000]) {
        const outcome = await walletClient(bo.node.system, a).depositRequest({ requestId: crypto.randomUUID(), player: crypto.randomUUID(), amount });
        if (!outcome.ok) throw new Error(outcome.error.message);
      }
      bo.node.relay.notify();
      const { token, username } = await bo.staff("finance", [a]);
      const expected = await waitForCounter(token, a, 2);
      const url = `${admin.url}/top-info.html#hold=1&token=${encodeURIComponent(token)}`;

      const dom = await chromium(url, ["--dump-dom"]);
      expect(dom).toContain(`live as ${username} (finance)`);
      expect(dom).toContain(`<section class="brand" id="brand-${a}">`);
      expect(dom).toMatch(new RegExp(`<dt>Pending deposits</dt><dd data-counter="pendingDeposits">${expected}</dd>`));

      mkdirSync(OUT, { recursive: true });
      const shot = join(OUT, "top-info.png");
      await chromium(url, [`--screenshot=${shot}`]);
      expect(statSync(shot).size).toBeGreaterThan(1000);
    },
    60_000,
  );
});

/** The counters as the back office reports them, once the relayed requests are counted. */
async function waitForCounter(token: string, brand: string, atLeast: number): Promise<number> {
  return waitFor(
    async () => {
      const res = await bo.admin("GET", `/api/v1/brands/${brand}/top-info`, { token });
      const { counters } = (await res.json()) as { counters: { pendingDeposits: number } };
      return counters.pendingDeposits >= atLeast ? counters.pendingDeposits : undefined;
    },
    { what: `${atLeast} pending deposits` },
  );
}
