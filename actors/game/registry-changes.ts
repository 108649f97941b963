import type { z } from "zod";
import type { AuditEntry } from "../identity/index.ts";
import type { SqlExecutor } from "../runtime/central-store.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { gameRegistryProtocol as protocol } from "./messages.ts";
import { newProviderSecret } from "./provider-signature.ts";
import { readGame, readProvider, switchedOnFor } from "./registry-views.ts";

type Body<K extends keyof typeof protocol> = z.output<(typeof protocol)[K]["body"]>;

/** A decided registry change: its outcome, and (when it changed something) the audit of it. */
export type RegistryChange = { outcome: Outcome; audit?: AuditEntry };
type Handler<K extends keyof typeof protocol> = (tx: SqlExecutor, body: Body<K>) => Promise<RegistryChange>;

const refused = (outcome: Outcome<never>): RegistryChange => ({ outcome });
const unknownProvider = (code: string) => refused(fail("not_found", `no provider ${code}; register it first`));
const providerTarget = (code: string) => `provider:${code}`;

/**
 * Each registry command as the registry actor runs it inside its transaction: the change,
 * and what the audit log records of it, with the before and after read in that same
 * transaction. Secrets are answered once and never audited.
 */
export const REGISTRY_CHANGES: { [K in keyof typeof protocol]: Handler<K> } = {
  registerProvider: async (tx, b) => {
    if (await readProvider(tx, b.code)) return refused(fail("conflict", `provider ${b.code} is already registered; use update or rotate-secret`));
    const secret = b.secret ?? newProviderSecret();
    await tx.query("insert into game_providers (code, name, dialect, secret, ip_allow_list, all_brands) values ($1, $2, $3, $4, $5::jsonb, $6)", [
      b.code,
      b.name,
      b.dialect,
      secret,
      JSON.stringify(b.ipAllowList),
      b.allBrands,
    ]);
    const provider = (await readProvider(tx, b.code))!;
    return { outcome: ok({ provider, secret }), audit: { action: "provider.register", brand: null, target: providerTarget(b.code), after: provider } };
  },

  updateProvider: async (tx, b) => {
    const before = await readProvider(tx, b.code);
    if (!before) return unknownProvider(b.code);
    await tx.query(
      `update game_providers set name = coalesce($2, name), dialect = coalesce($3, dialect),
              ip_allow_list = coalesce($4::jsonb, ip_allow_list), all_brands = coalesce($5, all_brands), updated_at = now()
        where code = $1`,
      [b.code, b.name ?? null, b.dialect ?? null, b.ipAllowList ? JSON.stringify(b.ipAllowList) : null, b.allBrands ?? null],
    );
    const after = (await readProvider(tx, b.code))!;
    return { outcome: ok(after), audit: { action: "provider.update", brand: null, target: providerTarget(b.code), before, after } };
  },

  rotateSecret: async (tx, b) => {
    const before = await readProvider(tx, b.code);
    if (!before) return unknownProvider(b.code);
    const secret = b.secret ?? newProviderSecret();
    await tx.query(
      `update game_providers
          set previous_secret = case when $3::int > 0 then secret end,
              previous_secret_until = case when $3::int > 0 then now() + make_interval(secs => $3::int) end,
              secret = $2, updated_at = now()
        where code = $1`,
      [b.code, secret, b.graceSeconds],
    );
    const provider = (await readProvider(tx, b.code))!;
    const audit = {
      action: "provider.rotate_secret",
      brand: null,
      target: providerTarget(b.code),
      before: { previousSecretUntil: before.previousSecretUntil },
      after: { previousSecretUntil: provider.previousSecretUntil },
    };
    return { outcome: ok({ provider, secret }), audit };
  },

  setProviderBrand: async (tx, b) => {
    const before = await readProvider(tx, b.code);
    if (!before) return unknownProvider(b.code);
    await tx.query(
      `insert into game_provider_brands (provider_code, brand_id, enabled) values ($1, $2, $3)
       on conflict (provider_code, brand_id) do update set enabled = excluded.enabled, updated_at = now()`,
      [b.code, b.brand, b.enabled],
    );
    await tx.query("update game_providers set updated_at = now() where code = $1", [b.code]);
    const after = (await readProvider(tx, b.code))!;
    const audit = {
      action: "provider.set_brand",
      brand: b.brand,
      target: providerTarget(b.code),
      before: { enabled: switchedOnFor(before, b.brand) },
      after: { enabled: switchedOnFor(after, b.brand) },
    };
    return { outcome: ok(after), audit };
  },

  upsertGame: async (tx, b) => {
    if (!(await readProvider(tx, b.provider))) return unknownProvider(b.provider);
    const before = await readGame(tx, b.provider, b.code);
    await tx.query(
      `insert into games (provider_code, code, name, category, all_brands) values ($1, $2, $3, $4, $5)
       on conflict (provider_code, code) do update
         set name = excluded.name, category = excluded.category, all_brands = excluded.all_brands, updated_at = now()`,
      [b.provider, b.code, b.name, b.category, b.allBrands],
    );
    const after = (await readGame(tx, b.provider, b.code))!;
    return { outcome: ok(after), audit: { action: "game.upsert", brand: null, target: `game:${b.provider}/${b.code}`, before: before ?? null, after } };
  },

  setGameBrand: async (tx, b) => {
    const before = await readGame(tx, b.provider, b.game);
    if (!before) return refused(fail("not_found", `provider ${b.provider} has no game ${b.game}`));
    await tx.query(
      `insert into game_brands (provider_code, game_code, brand_id, enabled) values ($1, $2, $3, $4)
       on conflict (provider_code, game_code, brand_id) do update set enabled = excluded.enabled, updated_at = now()`,
      [b.provider, b.game, b.brand, b.enabled],
    );
    await tx.query("update games set updated_at = now() where provider_code = $1 and code = $2", [b.provider, b.game]);
    const after = (await readGame(tx, b.provider, b.game))!;
    const audit = {
      action: "game.set_brand",
      brand: b.brand,
      target: `game:${b.provider}/${b.game}`,
      before: { enabled: switchedOnFor(before, b.brand) },
      after: { enabled: switchedOnFor(after, b.brand) },
    };
    return { outcome: ok(after), audit };
  },
};
