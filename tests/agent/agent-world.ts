import type { AgentView } from "../../actors/agent/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { localDay } from "../../actors/settlement/index.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { TEST_SETUP } from "../support/catalog.ts";
import { waitFor } from "../support/services.ts";
import type { TestPlatformNode } from "../support/test-node.ts";

/** Arrangements for the agent domain's tests, through its actor and the wallet, as the edges would ask. */

const hash = Bun.password.hash("an agent password", { algorithm: "argon2id", ...CHEAP_HASH });
export const AGENT_PASSWORD = "an agent password";
let counter = 0;
const tag = () => `${Date.now().toString(36).slice(-4)}${++counter}`;

type Rates = { rolling?: Record<string, number>; losing?: number };

export function agentWorld(node: TestPlatformNode, brand: string) {
  const agents = () => node.edge.clients.agent(brand);
  const wallet = () => node.edge.clients.wallet(brand);

  async function agent(options: { parentId?: string | null; rates?: Rates; loginName?: string } = {}): Promise<AgentView> {
    const loginName = options.loginName ?? `ag_${tag()}`;
    const rates = { rolling: options.rates?.rolling ?? {}, losing: options.rates?.losing ?? 0 };
    return expectOk(await agents().createAgent({ loginName, name: `Agent ${loginName}`, passwordHash: await hash, rates, parentId: options.parentId ?? null, by: TEST_SETUP }));
  }

  /** A sign-up with the agent's code, as the player domain publishes it; resolves once the agent domain linked the player. */
  async function player(of: Pick<AgentView, "id" | "code">) {
    const code = of.code;
    const playerId = crypto.randomUUID();
    const username = `pl_${tag()}`;
    const payload = {
      playerId,
      username,
      nickname: `n${tag()}`,
      signupCode: code.toLowerCase(),
      referredBy: null,
      bank: { name: "Shinhan", account: "110-222-333", holder: "Kim" },
    };
    await node.parts.events.publish([{ id: crypto.randomUUID(), type: "player.registered", brand, at: Date.now(), payload }]);
    const linked = await waitFor(
      async () => {
        const found = await agents().downlinePlayers({ within: of.id, search: username });
        return found.ok && found.value.items.length === 1 ? found.value.items[0] : undefined;
      },
      { what: `player ${username} linked to the agent of ${code}` },
    );
    return { playerId, username, agentId: linked.agentId };
  }

  /** Fund a player and play through the wallet: bets by category, then one win. */
  async function play(playerId: string, bets: { amount: number; category: string }[], win = 0) {
    const total = bets.reduce((n, b) => n + b.amount, 0);
    expectOk(await wallet().adjust({ adjustmentId: crypto.randomUUID(), owner: { kind: "player", id: playerId }, amount: total + 1, reason: "stake", by: TEST_SETUP }));
    const round = crypto.randomUUID();
    let last = "";
    for (const bet of bets) {
      last = crypto.randomUUID();
      expectOk(await wallet().bet({ provider: "studio", player: playerId, round, transactionUuid: last, amount: bet.amount, gameCategory: bet.category, gameCode: "g1" }));
    }
    if (win > 0)
      expectOk(
        await wallet().win({ provider: "studio", player: playerId, round, transactionUuid: crypto.randomUUID(), referenceTransactionUuid: last, amount: win, gameCode: "g1" }),
      );
  }

  /** Wait until the agent domain projected the subtree's bets of today (the brand's local day). */
  async function projected(agentId: string, bets: bigint, wins = 0n) {
    const today = localDay(Date.now(), "UTC");
    return waitFor(
      async () => {
        const report = await agents().activity({ within: agentId, from: today, to: today });
        return report.ok && BigInt(report.value.total.bets) === bets && BigInt(report.value.total.wins) === wins ? report.value : undefined;
      },
      { what: `agent ${agentId}'s activity of ${bets} in bets` },
    );
  }

  const cashOf = async (owner: { kind: "agent" | "player"; id: string }) => BigInt(expectOk(await wallet().balance({ owner })).cash);

  return { agents, wallet, agent, player, play, projected, cashOf };
}
