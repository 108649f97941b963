import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT_LEGACY_ROUTES } from "../../edges/agent/legacy/legacy-table.ts";
import { differences, type Fixture, substitute } from "../gateway/legacy-world.ts";
import { type AgentNode, agentNode } from "./agent-node.ts";
import { type AgentWorld, legacyAgentWorld, replayOnAgentEdge } from "./legacy-agent-world.ts";

/**
 * The legacy agent dialect's fixtures (tests/agent/fixtures/*.json), one per route of
 * shared/contracts/legacy-agent.md: each recorded request is replayed against the agent edge
 * as the old portal sends it (form or JSON, token as Bearer or as a field); the reply must be
 * HTTP 200 and match field by field (ids and times by their shape).
 */

const dir = join(import.meta.dir, "fixtures");
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), "utf8")) as Fixture }));

let a: AgentNode;
let owner: Awaited<ReturnType<AgentNode["staff"]>>;
beforeAll(async () => {
  a = await agentNode("aglg");
  owner = await a.staff("owner", null);
}, 60_000);
afterAll(() => a.close());

test("every route of the legacy agent table has a fixture, and every fixture names one", () => {
  const routes = AGENT_LEGACY_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
  expect(fixtures.map((f) => f.fixture.route).sort()).toEqual(routes);
});

for (const { file, fixture } of fixtures) {
  describe(`${fixture.route} (${file})`, () => {
    let world: AgentWorld;
    beforeAll(async () => {
      world = await legacyAgentWorld(a, owner);
    }, 30_000);
    for (const c of fixture.cases) {
      test(c.name, async () => {
        const res = await replayOnAgentEdge(a, world, c);
        expect(res.status).toBe(200);
        expect(differences(substitute(c.response, world.values), await res.json())).toEqual([]);
      });
    }
  });
}
