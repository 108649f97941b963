import type { ReconOptions } from "../../actors/recon/index.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { walletClient } from "../../actors/wallet/index.ts";
import { waitFor } from "../support/services.ts";
import { type TestPlatformNode, testNode } from "../support/test-node.ts";

/** The bank number the fixture's sources list, and its notices come from. */
export const BANK_SENDER = "15882100";

export const STAFF = { staffId: null, username: "recon-test" } as const;
/** loops that give up waiting quickly, so a test of a failing upstream stays short */
export const FAST_BACKOFF = { baseMs: 5, maxMs: 100, secondMs: 20, silenceMs: 2000, pollSeconds: 1 };

export type ReconFixture = Awaited<ReturnType<typeof reconFixture>>;

/**
 * A node with the wallet, player, recon, admin and identity domains and one brand: sources
 * made through recon's client with secrets sealed as the edge seals them, deposit requests
 * made through the wallet, notices ingested as a loop or webhook delivers them.
 */
export async function reconFixture(options: { recon?: ReconOptions; serve?: boolean; node?: TestPlatformNode } = {}) {
  const node =
    options.node ??
    (await testNode({
      label: "recon",
      domains: ["wallet", "player", "recon", "admin", "identity"],
      domainOptions: { recon: { backoff: FAST_BACKOFF, ...options.recon } },
      serve: options.serve,
    }));
  const brand = await node.addBrand({ prefix: "rc", surfaces: ["gateway", "admin"] });
  const recon = node.edge.clients.recon(brand);
  const wallet = walletClient(node.parts.system, brand);
  let seq = 0;
  return {
    node,
    brand,
    recon,
    wallet,
    async source(kind: "webhook" | "telegram" | "pushbullet" = "webhook", settings: Record<string, unknown> = {}, secret = "a-secret-of-some-length") {
      const sourceId = `${kind}-${++seq}`;
      const sealed = await node.edge.recon.seal(secret, brand, sourceId);
      return expectOk(
        await recon.createSource({
          sourceId,
          kind,
          label: `${kind} ${seq}`,
          secret: sealed,
          settings: { chatIds: [], deviceIdens: [], senders: [BANK_SENDER], ...settings },
          by: STAFF,
        }),
      );
    },
    async deposit(amount: number, depositorName: string | undefined, player = `p-${crypto.randomUUID().slice(0, 8)}`) {
      const requestId = `dep-${crypto.randomUUID()}`;
      expectOk(await wallet.depositRequest({ requestId, player, amount, depositorName }));
      // recon knows the request once the wallet's event reached it
      await waitFor(
        async () => {
          const ok = await node.parts.shards.acquire(brand).sqlite.query("select 1 from recon_requests where request_id = ?").get(requestId);
          return ok !== null;
        },
        { what: `recon to hear of ${requestId}` },
      );
      return { requestId, player };
    },
    /** staff reject a request at the wallet (the decision names who decided both ways the wallet has spoken of it) */
    async reject(requestId: string) {
      const decision = { requestId, reason: "no transfer seen", staffId: "s-1", by: STAFF };
      expectOk(await wallet.depositReject(decision));
    },
    /** a notice as the source hands it over, from the bank's sender unless another is named */
    async ingest(sourceId: string, text: string, externalId = `ext-${++seq}`, receivedAt = Date.now(), sender: string | null = BANK_SENDER) {
      return expectOk(await recon.ingest({ sourceId, items: [{ externalId, text, sender, receivedAt }] })).stored[0]!;
    },
    async cash(player: string) {
      return expectOk(await wallet.balance({ owner: { kind: "player", id: player } })).cash;
    },
    async waitForCash(player: string, cash: string, timeoutMs = 2000) {
      await waitFor(async () => (await this.cash(player)) === cash, { timeoutMs, what: `${player}'s cash to be ${cash}` });
    },
    message: async (messageId: string) => expectOk(await recon.message({ messageId })),
    close: () => node.stop(),
  };
}

/** A KB deposit notice as the bank sends it. */
export function kbDeposit(name: string, amount: number, balance: number, time = koreaClock()) {
  return `[Web발신]\n[KB]${time}\n834702**717\n${name}\n입금\n${amount.toLocaleString("en-US")}\n잔액${balance.toLocaleString("en-US")}`;
}

export function kbWithdrawal(name: string, amount: number, balance: number, time = koreaClock()) {
  return `[Web발신]\n[KB]${time}\n834702**717\n${name}\n출금\n${amount.toLocaleString("en-US")}\n잔액${balance.toLocaleString("en-US")}`;
}

/** `MM/DD HH:mm` of now, in Korea. */
export function koreaClock(at = Date.now()): string {
  const d = new Date(at + 9 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}
