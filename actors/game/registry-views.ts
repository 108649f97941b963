import type { SqlExecutor } from "../runtime/central-store.ts";
import type { GameView, ProviderView } from "./messages.ts";

type ProviderRow = {
  code: string;
  name: string;
  dialect: ProviderView["dialect"];
  ip_allow_list: string[];
  all_brands: boolean;
  previous_secret_until: Date | string | null;
  updated_at: Date | string;
};
type GameRow = { name: string; category: GameView["category"]; all_brands: boolean; updated_at: Date | string };
type SwitchRow = { brand_id: string; enabled: boolean };

const millis = (v: Date | string) => new Date(v).getTime();

/** A provider as the registry actor reads it inside its transaction (no secret), or undefined. */
export async function readProvider(tx: SqlExecutor, code: string): Promise<ProviderView | undefined> {
  const [p] = await tx.query<ProviderRow>("select code, name, dialect, ip_allow_list, all_brands, previous_secret_until, updated_at from game_providers where code = $1", [code]);
  if (!p) return undefined;
  const switches = await tx.query<SwitchRow>("select brand_id, enabled from game_provider_brands where provider_code = $1", [code]);
  return {
    code: p.code,
    name: p.name,
    dialect: p.dialect,
    ipAllowList: p.ip_allow_list,
    allBrands: p.all_brands,
    brands: Object.fromEntries(switches.map((r) => [r.brand_id, r.enabled])),
    previousSecretUntil: p.previous_secret_until === null ? null : millis(p.previous_secret_until),
    updatedAt: millis(p.updated_at),
  };
}

/** A game of the catalog as the registry actor reads it inside its transaction, or undefined. */
export async function readGame(tx: SqlExecutor, provider: string, code: string): Promise<GameView | undefined> {
  const [g] = await tx.query<GameRow>("select name, category, all_brands, updated_at from games where provider_code = $1 and code = $2", [provider, code]);
  if (!g) return undefined;
  const switches = await tx.query<SwitchRow>("select brand_id, enabled from game_brands where provider_code = $1 and game_code = $2", [provider, code]);
  return {
    provider,
    code,
    name: g.name,
    category: g.category,
    allBrands: g.all_brands,
    brands: Object.fromEntries(switches.map((r) => [r.brand_id, r.enabled])),
    updatedAt: millis(g.updated_at),
  };
}

/** Whether a provider's or game's own switch lets `brand` use it: its override there, else its all-brands default. */
export const switchedOnFor = (view: { brands: Record<string, boolean>; allBrands: boolean }, brand: string): boolean => view.brands[brand] ?? view.allBrands;
