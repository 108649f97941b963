import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { walletProtocol } from "../../actors/wallet/index.ts";
import { LEGACY_ROUTES } from "../../edges/gateway/legacy/legacy-table.ts";
import { type GatewayNode, gatewayNode } from "./gateway-node.ts";
import { differences, type Fixture, legacyWorld, registerTestProvider, replay, substitute } from "./legacy-world.ts";

/**
 * The legacy player dialect's parity fixtures (tests/gateway/fixtures/*.json): each recorded
 * request is replayed against the gateway as an old client sends it (form or JSON, token as
 * Bearer or as a field); the reply must be HTTP 200 and match field by field.
 */

const dir = join(import.meta.dir, "fixtures");
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), "utf8")) as Fixture }));

/** What a fixture may need beyond what every node has. */
const CAPABILITIES: Record<string, boolean> = { "wallet.playerRequests": "playerRequests" in walletProtocol };

let gw: GatewayNode;
let provider: string;
beforeAll(async () => {
  gw = await gatewayNode({ games: true, brands: 0 });
  provider = await registerTestProvider(gw);
});
afterAll(() => gw.close());

test("every legacy route of the table has a fixture, and every fixture names a legacy route", () => {
  const routes = LEGACY_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
  expect(fixtures.map((f) => f.fixture.route).sort()).toEqual(routes);
});

for (const { file, fixture } of fixtures) {
  const ready = fixture.requires === undefined || CAPABILITIES[fixture.requires] === true;
  describe.skipIf(!ready)(`${fixture.route} (${file})`, () => {
    let world: Awaited<ReturnType<typeof legacyWorld>>;
    beforeAll(async () => {
      world = await legacyWorld(gw, provider);
    });
    for (const c of fixture.cases) {
      test(c.name, async () => {
        const res = await replay(gw, world, c);
        expect(res.status).toBe(200);
        expect(differences(substitute(c.response, world.values), await res.json())).toEqual([]);
      });
    }
  });
}
