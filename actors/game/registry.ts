import type { SqlExecutor } from "../runtime/central-store.ts";
import type { Logger } from "../runtime/log.ts";
import type { Dialect, GameCategory, GameView, ProviderView } from "./messages.ts";
import { signatureMatches, signBody, signingKey } from "./provider-signature.ts";

type ProviderEntry = ProviderView & {
  secret: string;
  previousSecret: string | null;
  keys?: Promise<CryptoKey[]>;
};

type ProviderRow = {
  code: string;
  name: string;
  dialect: Dialect;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  ip_allow_list: string[];
  all_brands: boolean;
  updated_at: Date | string;
};
type GameRow = { provider_code: string; code: string; name: string; category: GameCategory; all_brands: boolean; updated_at: Date | string };
type OverrideRow = { provider_code: string; game_code?: string; brand_id: string; enabled: boolean };

const gameKey = (provider: string, game: string) => `${provider}\u0000${game}`;
const millis = (v: Date | string) => new Date(v).getTime();

/**
 * The node's in-memory copy of the game registry (providers, games, per-brand enablement),
 * so a callback checks its provider without a query. Reloaded when the registry actor writes
 * on this node, and by polling the registry's version for writes made on other nodes.
 */
export class GameRegistry {
  private providers = new Map<string, ProviderEntry>();
  private games = new Map<string, GameView>();
  private version: bigint | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private store: SqlExecutor,
    private log: Logger,
    private pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.poller ??= setInterval(() => void this.refresh().catch((error) => this.log.warn("game registry refresh failed", { error })), this.pollMs);
    this.poller.unref?.();
  }

  stop(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }

  /** Reload when another node changed the registry since the last load. */
  async refresh(): Promise<void> {
    const [row] = await this.store.query<{ version: bigint }>("select version from game_registry_version where id = 1");
    if ((row?.version ?? 0n) !== this.version) await this.reload();
  }

  /** Load now; loads run one after another, so a caller sees every write committed before it called. */
  reload(): Promise<void> {
    const next = this.loading.catch(() => {}).then(() => this.load());
    this.loading = next;
    return next;
  }

  provider(code: string): ProviderView | undefined {
    const p = this.providers.get(code);
    return p && publicView(p);
  }

  listProviders(): ProviderView[] {
    return [...this.providers.values()].sort((a, b) => a.code.localeCompare(b.code)).map(publicView);
  }

  providerEnabled(code: string, brand: string): boolean {
    const p = this.providers.get(code);
    return p !== undefined && (p.brands[brand] ?? p.allBrands);
  }

  game(provider: string, code: string): GameView | undefined {
    return this.games.get(gameKey(provider, code));
  }

  listGames(provider?: string): GameView[] {
    return [...this.games.values()]
      .filter((g) => provider === undefined || g.provider === provider)
      .sort((a, b) => a.provider.localeCompare(b.provider) || a.code.localeCompare(b.code));
  }

  /** A game is playable in a brand when its provider is and it is not switched off there. */
  gameEnabled(provider: string, code: string, brand: string): boolean {
    const g = this.games.get(gameKey(provider, code));
    return g !== undefined && this.providerEnabled(provider, brand) && (g.brands[brand] ?? g.allBrands);
  }

  gamesForBrand(brand: string, provider?: string): GameView[] {
    return this.listGames(provider).filter((g) => this.gameEnabled(g.provider, g.code, brand));
  }

  /** The secret a provider signs with now (operators' and tests' view; edges sign and verify through the methods below). */
  secretOf(code: string): string | undefined {
    return this.providers.get(code)?.secret;
  }

  /** Whether `signature` is the provider's HMAC of `body`, under its current secret or, during a rotation's grace, the previous one. */
  async signatureValid(code: string, signature: string | undefined, body: Uint8Array): Promise<boolean> {
    const keys = this.verifyingKeys(code);
    return keys !== undefined && signatureMatches(await keys, signature, body);
  }

  /** `body` signed with the provider's current secret, as the provider would (the replay tool), so no edge holds a secret. */
  async signAsProvider(code: string, body: Uint8Array): Promise<string | undefined> {
    const secret = this.providers.get(code)?.secret;
    return secret === undefined ? undefined : signBody(secret, body);
  }

  /** HMAC keys a signature may match: the current secret and, during a rotation's grace, the previous one. */
  verifyingKeys(code: string, now = Date.now()): Promise<CryptoKey[]> | undefined {
    const p = this.providers.get(code);
    if (!p) return undefined;
    const graceOver = p.previousSecretUntil !== null && p.previousSecretUntil <= now;
    if (graceOver && p.previousSecret !== null) p.keys = undefined;
    if (graceOver) p.previousSecret = null;
    p.keys ??= Promise.all([p.secret, ...(p.previousSecret ? [p.previousSecret] : [])].map(signingKey));
    return p.keys;
  }

  private async load(): Promise<void> {
    const [versionRow] = await this.store.query<{ version: bigint }>("select version from game_registry_version where id = 1");
    const rows = await this.store.query<ProviderRow>(
      `select code, name, dialect, secret, previous_secret, previous_secret_until, ip_allow_list, all_brands, updated_at from game_providers`,
    );
    const providerBrands = await this.store.query<OverrideRow>("select provider_code, brand_id, enabled from game_provider_brands");
    const gameRows = await this.store.query<GameRow>("select provider_code, code, name, category, all_brands, updated_at from games");
    const gameBrands = await this.store.query<OverrideRow>("select provider_code, game_code, brand_id, enabled from game_brands");

    const providers = new Map<string, ProviderEntry>();
    for (const r of rows) {
      const previousUntil = r.previous_secret_until === null ? null : millis(r.previous_secret_until);
      const old = this.providers.get(r.code);
      const sameSecrets = old && old.secret === r.secret && old.previousSecret === r.previous_secret;
      providers.set(r.code, {
        code: r.code,
        name: r.name,
        dialect: r.dialect,
        ipAllowList: r.ip_allow_list ?? [],
        allBrands: r.all_brands,
        brands: {},
        previousSecretUntil: previousUntil,
        updatedAt: millis(r.updated_at),
        secret: r.secret,
        previousSecret: r.previous_secret,
        keys: sameSecrets ? old.keys : undefined,
      });
    }
    for (const o of providerBrands) {
      const p = providers.get(o.provider_code);
      if (p) p.brands[o.brand_id] = o.enabled;
    }
    const games = new Map<string, GameView>();
    for (const g of gameRows) {
      games.set(gameKey(g.provider_code, g.code), {
        provider: g.provider_code,
        code: g.code,
        name: g.name,
        category: g.category,
        allBrands: g.all_brands,
        brands: {},
        updatedAt: millis(g.updated_at),
      });
    }
    for (const o of gameBrands) {
      const g = games.get(gameKey(o.provider_code, o.game_code!));
      if (g) g.brands[o.brand_id] = o.enabled;
    }
    this.providers = providers;
    this.games = games;
    this.version = versionRow?.version ?? 0n;
  }
}

function publicView(p: ProviderEntry): ProviderView {
  const { secret: _s, previousSecret: _p, keys: _k, ...view } = p;
  return view;
}
