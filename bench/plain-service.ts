/**
 * The baseline bench/callbacks.ts measures the platform against: the seamless-wallet bet a
 * team would write without actors, mailboxes or a single writer. Hono; the provider's HMAC
 * over the raw body and the game-session token checked as the callback edge checks them
 * (same key, same token cache); then one PostgreSQL transaction per bet, through a pool:
 *
 *   INSERT the idempotency row (a replayed transaction_uuid answers its first balance)
 *   UPDATE plain_accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance
 *   INSERT two posting rows (the player's debit, the house's credit; no house-row update)
 *   INSERT one outbox row
 *
 * Its tables live in the bench's scratch database, beside the platform's, prefixed `plain_`.
 */
import { Hono } from "hono";
import postgres from "postgres";
import { SessionTokens, signatureMatches, signingKey } from "../actors/game/index.ts";

export type PlainServiceOptions = {
  databaseUrl: string;
  /** connections in the pool */
  pool: number;
  providerSecret: string;
  sessionSecret: string;
};

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS plain_accounts (id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
  CREATE TABLE IF NOT EXISTS plain_transactions (key text PRIMARY KEY, player text NOT NULL, amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS plain_postings (id bigserial PRIMARY KEY, transaction_key text NOT NULL REFERENCES plain_transactions (key), account_id text NOT NULL, amount bigint NOT NULL, balance_after bigint);
  CREATE INDEX IF NOT EXISTS plain_postings_transaction ON plain_postings (transaction_key);
  CREATE TABLE IF NOT EXISTS plain_outbox (id bigserial PRIMARY KEY, type text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), relayed_at timestamptz);
`;

/** Create the tables and fund `players` (p0, p1, ...) with `balance` each. */
export async function preparePlainService(databaseUrl: string, players: number, balance: bigint): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(SCHEMA);
    const ids = Array.from({ length: players }, (_, i) => `p${i}`);
    await sql`INSERT INTO plain_accounts (id, balance) SELECT unnest(${ids}::text[]), ${balance.toString()}::bigint ON CONFLICT (id) DO NOTHING`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

class NotEnoughMoney extends Error {}

/** Start the service on a free port; `url` is its bet endpoint's base. */
export async function startPlainService(options: PlainServiceOptions) {
  const sql = postgres(options.databaseUrl, { max: options.pool, onnotice: () => {} });
  const key = await signingKey(options.providerSecret);
  const tokens = new SessionTokens(options.sessionSecret);
  const app = new Hono();
  app.post("/callbacks/:provider/transaction/bet", async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!(await signatureMatches([key], c.req.header("x-signature"), raw))) return c.json({ status: "RS_ERROR_INVALID_SIGNATURE" }, 401);
    let input: { token: string; transaction_uuid: string; round: string; game_code: string; amount: number; currency: string };
    try {
      input = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return c.json({ status: "RS_ERROR_WRONG_TYPES" }, 400);
    }
    const check = await tokens.check(input.token);
    if (!check.genuine || check.expired || check.claims.provider !== c.req.param("provider") || check.claims.game !== input.game_code) {
      return c.json({ status: "RS_ERROR_INVALID_TOKEN" }, 200);
    }
    const player = check.claims.player;
    const txKey = `${check.claims.provider}:${input.transaction_uuid}`;
    try {
      const balance = await sql.begin(async (tx) => {
        const [inserted] = await tx`INSERT INTO plain_transactions (key, player, amount) VALUES (${txKey}, ${player}, ${input.amount}) ON CONFLICT (key) DO NOTHING RETURNING key`;
        if (!inserted) {
          const [first] = await tx`SELECT balance_after FROM plain_postings WHERE transaction_key = ${txKey} AND account_id = ${player}`;
          return first?.balance_after as string;
        }
        const [account] = await tx`UPDATE plain_accounts SET balance = balance - ${input.amount} WHERE id = ${player} AND balance >= ${input.amount} RETURNING balance`;
        if (!account) throw new NotEnoughMoney();
        await tx`INSERT INTO plain_postings (transaction_key, account_id, amount, balance_after)
                 VALUES (${txKey}, ${player}, ${-input.amount}, ${account.balance}), (${txKey}, 'house', ${input.amount}, NULL)`;
        const payload = { player, provider: check.claims.provider, round: input.round, game: input.game_code, amount: input.amount, transactionUuid: input.transaction_uuid };
        await tx`INSERT INTO plain_outbox (type, payload) VALUES ('wallet.bet_settled', ${tx.json(payload)})`;
        return account.balance as string;
      });
      return c.json({ status: "RS_OK", user: player, currency: input.currency, balance: Number(balance), transaction_id: txKey });
    } catch (error) {
      if (error instanceof NotEnoughMoney) return c.json({ status: "RS_ERROR_NOT_ENOUGH_MONEY" }, 200);
      return c.json({ status: "RS_ERROR_UNKNOWN", message: String(error) }, 500);
    }
  });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
  return {
    url: `http://127.0.0.1:${server.port}`,
    async stop() {
      server.stop(true);
      await sql.end({ timeout: 5 });
    },
  };
}
