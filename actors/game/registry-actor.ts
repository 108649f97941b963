import type { z } from "zod";
import { schemasOf, type ActorKind, type Behavior, type Incoming } from "../runtime/actor.ts";
import type { CentralStore, SqlExecutor } from "../runtime/central-store.ts";
import { fail, ok, type Outcome } from "../runtime/errors.ts";
import { gameRegistryProtocol as protocol } from "./messages.ts";
import { newProviderSecret } from "./provider-signature.ts";
import type { GameRegistry } from "./registry.ts";

type Body<K extends keyof typeof protocol> = z.infer<(typeof protocol)[K]["body"]>;
type Handler = (tx: SqlExecutor, body: any) => Promise<Outcome<unknown>>;

export const REGISTRY_ADDRESS = "game_registry";

/**
 * The one writer of the global game registry. Each message is one central-store
 * transaction: the change, its journal entry (so a redelivery replays the outcome) and a bump
 * of the registry version that every node's in-memory copy polls.
 */
export function gameRegistryKind(deps: { store: CentralStore; registry: GameRegistry }): ActorKind {
  return {
    domain: REGISTRY_ADDRESS,
    scope: "global",
    messages: schemasOf(protocol),
    create: () => registryBehavior(deps.store, deps.registry),
  };
}

function registryBehavior(store: CentralStore, registry: GameRegistry): Behavior {
  return {
    recall: async (ids) => {
      const rows = await store.query<{ message_id: string; outcome: Outcome }>(
        "select message_id, outcome from game_registry_journal where message_id = any($1::text[])",
        [ids],
      );
      return new Map(rows.map((r) => [r.message_id, typeof r.outcome === "string" ? JSON.parse(r.outcome) : r.outcome]));
    },
    receive: async (batch) => {
      const outcomes: Outcome[] = [];
      for (const message of batch) outcomes.push(await decide(store, message));
      if (outcomes.some((o) => o.ok)) await registry.reload();
      return outcomes;
    },
  };
}

async function decide(store: CentralStore, message: Incoming): Promise<Outcome> {
  const handler = HANDLERS[message.type];
  if (!handler) return fail("unknown_message", `the game registry does not take ${message.type}`);
  return store.transaction(async (tx) => {
    const outcome = await handler(tx, message.body);
    if (outcome.ok) await tx.query("insert into game_registry_version (id, version) values (1, 1) on conflict (id) do update set version = game_registry_version.version + 1");
    await tx.query("insert into game_registry_journal (message_id, outcome) values ($1, $2::jsonb)", [message.id, JSON.stringify(outcome)]);
    return outcome;
  });
}

const HANDLERS: Record<string, Handler> = {
  registerProvider: async (tx, b: Body<"registerProvider">) => {
    if ((await tx.query("select 1 from game_providers where code = $1", [b.code])).length > 0) {
      return fail("conflict", `provider ${b.code} is already registered; use update or rotate-secret`);
    }
    const secret = b.secret ?? newProviderSecret();
    await tx.query(
      "insert into game_providers (code, name, dialect, secret, ip_allow_list, all_brands) values ($1, $2, $3, $4, $5::jsonb, $6)",
      [b.code, b.name, b.dialect, secret, JSON.stringify(b.ipAllowList), b.allBrands],
    );
    return ok({ provider: await providerView(tx, b.code), secret });
  },

  updateProvider: async (tx, b: Body<"updateProvider">) => {
    const rows = await tx.query(
      `update game_providers set name = coalesce($2, name), dialect = coalesce($3, dialect),
              ip_allow_list = coalesce($4::jsonb, ip_allow_list), all_brands = coalesce($5, all_brands), updated_at = now()
        where code = $1 returning code`,
      [b.code, b.name ?? null, b.dialect ?? null, b.ipAllowList ? JSON.stringify(b.ipAllowList) : null, b.allBrands ?? null],
    );
    if (rows.length === 0) return unknownProvider(b.code);
    return ok(await providerView(tx, b.code));
  },

  rotateSecret: async (tx, b: Body<"rotateSecret">) => {
    const secret = b.secret ?? newProviderSecret();
    const rows = await tx.query(
      `update game_providers
          set previous_secret = case when $3::int > 0 then secret end,
              previous_secret_until = case when $3::int > 0 then now() + make_interval(secs => $3::int) end,
              secret = $2, updated_at = now()
        where code = $1 returning code`,
      [b.code, secret, b.graceSeconds],
    );
    if (rows.length === 0) return unknownProvider(b.code);
    return ok({ provider: await providerView(tx, b.code), secret });
  },

  setProviderBrand: async (tx, b: Body<"setProviderBrand">) => {
    if ((await tx.query("select 1 from game_providers where code = $1", [b.code])).length === 0) return unknownProvider(b.code);
    await tx.query(
      `insert into game_provider_brands (provider_code, brand_id, enabled) values ($1, $2, $3)
       on conflict (provider_code, brand_id) do update set enabled = excluded.enabled, updated_at = now()`,
      [b.code, b.brand, b.enabled],
    );
    await tx.query("update game_providers set updated_at = now() where code = $1", [b.code]);
    return ok(await providerView(tx, b.code));
  },

  upsertGame: async (tx, b: Body<"upsertGame">) => {
    if ((await tx.query("select 1 from game_providers where code = $1", [b.provider])).length === 0) return unknownProvider(b.provider);
    await tx.query(
      `insert into games (provider_code, code, name, category, all_brands) values ($1, $2, $3, $4, $5)
       on conflict (provider_code, code) do update
         set name = excluded.name, category = excluded.category, all_brands = excluded.all_brands, updated_at = now()`,
      [b.provider, b.code, b.name, b.category, b.allBrands],
    );
    return ok(await gameView(tx, b.provider, b.code));
  },

  setGameBrand: async (tx, b: Body<"setGameBrand">) => {
    if ((await tx.query("select 1 from games where provider_code = $1 and code = $2", [b.provider, b.game])).length === 0) {
      return fail("not_found", `provider ${b.provider} has no game ${b.game}`);
    }
    await tx.query(
      `insert into game_brands (provider_code, game_code, brand_id, enabled) values ($1, $2, $3, $4)
       on conflict (provider_code, game_code, brand_id) do update set enabled = excluded.enabled, updated_at = now()`,
      [b.provider, b.game, b.brand, b.enabled],
    );
    await tx.query("update games set updated_at = now() where provider_code = $1 and code = $2", [b.provider, b.game]);
    return ok(await gameView(tx, b.provider, b.game));
  },
};

const unknownProvider = (code: string) => fail("not_found", `no provider ${code}; register it first`);

async function providerView(tx: SqlExecutor, code: string) {
  const [p] = await tx.query<{ code: string; name: string; dialect: string; ip_allow_list: string[]; all_brands: boolean; previous_secret_until: Date | string | null; updated_at: Date | string }>(
    "select code, name, dialect, ip_allow_list, all_brands, previous_secret_until, updated_at from game_providers where code = $1",
    [code],
  );
  const brands = await tx.query<{ brand_id: string; enabled: boolean }>("select brand_id, enabled from game_provider_brands where provider_code = $1", [code]);
  return {
    code: p!.code,
    name: p!.name,
    dialect: p!.dialect,
    ipAllowList: p!.ip_allow_list,
    allBrands: p!.all_brands,
    brands: Object.fromEntries(brands.map((r) => [r.brand_id, r.enabled])),
    previousSecretUntil: p!.previous_secret_until === null ? null : new Date(p!.previous_secret_until).getTime(),
    updatedAt: new Date(p!.updated_at).getTime(),
  };
}

async function gameView(tx: SqlExecutor, provider: string, code: string) {
  const [g] = await tx.query<{ name: string; category: string; all_brands: boolean; updated_at: Date | string }>(
    "select name, category, all_brands, updated_at from games where provider_code = $1 and code = $2",
    [provider, code],
  );
  const brands = await tx.query<{ brand_id: string; enabled: boolean }>(
    "select brand_id, enabled from game_brands where provider_code = $1 and game_code = $2",
    [provider, code],
  );
  return {
    provider,
    code,
    name: g!.name,
    category: g!.category,
    allBrands: g!.all_brands,
    brands: Object.fromEntries(brands.map((r) => [r.brand_id, r.enabled])),
    updatedAt: new Date(g!.updated_at).getTime(),
  };
}
